import * as fs from 'node:fs';
import { StoreError } from './errors';

/** The first 16 bytes of every SQLite 3 database file. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Throws a StoreError unless `file` is missing, empty or starts with the SQLite 3 header.
 * It only reads the file, so a rejected file keeps its bytes.
 */
export function assertSqliteFileOrAbsent(file: string): void {
  let size: number;
  try {
    const stats = fs.statSync(file);
    if (!stats.isFile()) {
      throw new StoreError(file, 'is not a regular file; pass --db with the path of a SQLite database file');
    }
    size = stats.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return;
    }
    throw error;
  }
  if (size === 0) {
    return;
  }

  const header = Buffer.alloc(SQLITE_HEADER.length);
  const descriptor = fs.openSync(file, 'r');
  let bytesRead: number;
  try {
    bytesRead = fs.readSync(descriptor, header, 0, header.length, 0);
  } finally {
    fs.closeSync(descriptor);
  }
  if (bytesRead < SQLITE_HEADER.length || !header.equals(SQLITE_HEADER)) {
    throw new StoreError(
      file,
      'is not a SQLite database (its first 16 bytes are not "SQLite format 3\\0"); stemsim left it unchanged. ' +
        'Pass --db with another path, set STEMSIM_DB, or move this file away',
    );
  }
}
