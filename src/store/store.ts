import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareStoredRuns, RunComparison } from './compare-runs';
import { StoreError } from './errors';
import { ExportFormat, formatRun } from './export-run';
import { computeInputKey, TOOL_VERSION } from './input-key';
import { assertKnownSchema, migrate } from './migrations';
import { resolveDatabasePath } from './paths';
import { RunReader } from './read-run';
import { assertSqliteFileOrAbsent } from './sqlite-header';
import { RunListing, SaveRunOptions, SaveRunRequest, StoredRun } from './types';
import { RunWriter } from './write-run';

/**
 * Maximum time in ms that a write waits for another process's write transaction to end.
 * Saving a large run takes a few seconds, so this leaves room for several writers in a row.
 */
export const BUSY_TIMEOUT_MS = 60_000;

export interface OpenStoreOptions {
  /** When true, a missing file raises a StoreError instead of being created (for commands that only read). */
  mustExist?: boolean;
  /** Tool version stored with new runs and used in their input keys; defaults to package.json's version. */
  toolVersion?: string;
}

/**
 * Opens (and creates, with its folder, unless `mustExist`) the run database at `dbPath`, or at the
 * default path of resolveDatabasePath. Pending migrations are applied at open.
 * Throws a StoreError, without changing the file, when it is not a SQLite database or belongs to
 * another program.
 */
export function openStore(dbPath?: string, options: OpenStoreOptions = {}): RunStore {
  const file = resolveDatabasePath(dbPath);
  assertSqliteFileOrAbsent(file);
  if (!fs.existsSync(file)) {
    if (options.mustExist) {
      throw new StoreError(file, 'no database found; `stemsim run` creates one, or pass --db with an existing database file');
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
  }

  let db: Database.Database;
  try {
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new StoreError(file, `cannot be opened as a SQLite database: ${(error as Error).message}`);
  }

  try {
    // A header that looks right can still hide a damaged file; reading the schema finds that before any write.
    db.pragma('schema_version');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('foreign_keys = ON');
    migrateAndUseWal(db, file);
  } catch (error) {
    db.close();
    if (error instanceof StoreError) {
      throw error;
    }
    throw new StoreError(file, `cannot be opened as a stemsim database: ${(error as Error).message}`);
  }
  return new RunStore(db, file, options.toolVersion ?? TOOL_VERSION);
}

function migrateAndUseWal(db: Database.Database, file: string): void {
  // Switching to WAL rewrites the file header, so a database of another program is rejected first.
  assertKnownSchema(db, file);
  db.pragma('journal_mode = WAL');
  migrate(db, file);
}

/** The run database: saves, finds, lists, reads, compares and exports pipeline runs. */
export class RunStore {
  private readonly writer: RunWriter;
  private readonly reader: RunReader;

  constructor(
    private readonly db: Database.Database,
    /** Absolute path of the database file. */
    readonly file: string,
    /** Tool version stored with new runs. */
    readonly toolVersion: string,
  ) {
    this.writer = new RunWriter(db, file);
    this.reader = new RunReader(db, file);
  }

  /** Returns the id of the run stored under this input key (see computeInputKey), or undefined. Only reads. */
  findRun(inputKey: string): number | undefined {
    return this.writer.findRun(inputKey);
  }

  /** Returns the input key that saveRun would store this request under. */
  inputKeyOf(request: Pick<SaveRunRequest, 'inputs' | 'options'>): string {
    return computeInputKey(request.inputs, request.options, this.toolVersion);
  }

  /**
   * Saves a run in one IMMEDIATE transaction and returns its id. When a run with the same input key
   * is already stored (another process may have saved it since findRun), returns that run's id and
   * writes nothing. A throw rolls back the whole run; invalid values throw a StoreError that names
   * the field.
   */
  saveRun(request: SaveRunRequest, options: SaveRunOptions = {}): number {
    let inputKey: string;
    try {
      inputKey = this.inputKeyOf(request);
    } catch (error) {
      if (error instanceof TypeError) {
        throw new StoreError(this.file, `cannot save the run, nothing was written: ${error.message}`);
      }
      throw error;
    }

    const save = this.db.transaction(() => this.writer.write(request, inputKey, this.toolVersion, options.onProgress));
    try {
      return save.immediate();
    } catch (error) {
      if (isConstraintError(error)) {
        throw new StoreError(this.file, `cannot save the run, nothing was written: ${error.message}`);
      }
      throw error;
    }
  }

  /** Lists every run, oldest first. */
  listRuns(): RunListing[] {
    return this.reader.listRuns();
  }

  /** Returns the id of the newest run, or undefined when the database has none. */
  latestRunId(): number | undefined {
    return this.reader.latestRunId();
  }

  /** Reads a whole run; throws a StoreError when no run has this id. */
  getRun(runId: number): StoredRun {
    return this.reader.getRun(runId);
  }

  /** Compares two runs; figures of the second are compared against the first. */
  compareRuns(firstRunId: number, secondRunId: number): RunComparison {
    return compareStoredRuns(this.getRun(firstRunId), this.getRun(secondRunId));
  }

  /** Returns a run as CSV or JSON text (see formatRun). */
  exportRun(runId: number, format: ExportFormat): string {
    return formatRun(this.getRun(runId), format);
  }

  close(): void {
    this.db.close();
  }
}

/**
 * Tells whether a SQLite error is a constraint violation. It checks the name and code, not the class,
 * because better-sqlite3 registers its SqliteError class with the native addon once per process.
 * Where the module is loaded again, as in each Jest test file, `instanceof` then fails.
 */
function isConstraintError(error: unknown): error is Error & { code: string } {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'SqliteError' && typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT');
}
