import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Returns the path of a database file in a new temporary folder; the file does not exist yet. */
export function temporaryDatabasePath(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stemsim-store-')), 'runs.db');
}

/**
 * Returns the SHA-256 of the database file and of its write-ahead log (null when there is none).
 * Together they change only when something is written.
 */
export function hashDatabaseFiles(dbFile: string): { database: string; wal: string | null } {
  const walFile = `${dbFile}-wal`;
  return {
    database: hashFile(dbFile),
    wal: fs.existsSync(walFile) ? hashFile(walFile) : null,
  };
}

export function hashFile(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
