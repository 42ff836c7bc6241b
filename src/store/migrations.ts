import Database from 'better-sqlite3';
import { StoreError } from './errors';

/** One schema change. Migration n moves the database from `user_version` n - 1 to n. */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/**
 * The schema, as numbered migrations tracked with `PRAGMA user_version`.
 * Append new migrations and never edit a released one, because databases already carry it.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'runs, inputs by content hash, cost results, access and layer-timestep rows, validation rows, sparsity profiles',
    sql: `
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at TEXT NOT NULL,
        tool_version TEXT NOT NULL,
        network TEXT NOT NULL,
        hardware TEXT NOT NULL,
        mapping TEXT NOT NULL,
        off_chip_level TEXT NOT NULL,
        options_json TEXT NOT NULL,
        summary_json TEXT NOT NULL,
        input_key TEXT NOT NULL UNIQUE
      );

      CREATE TABLE inputs (
        sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
        role TEXT NOT NULL,
        first_name TEXT NOT NULL
      );

      CREATE TABLE run_inputs (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('network', 'hardware', 'mapping', 'weights', 'trace')),
        sample TEXT NOT NULL,
        sha256 TEXT NOT NULL REFERENCES inputs(sha256),
        name TEXT NOT NULL,
        path TEXT,
        PRIMARY KEY (run_id, role, sample)
      );
      CREATE INDEX run_inputs_by_hash ON run_inputs(sha256);

      CREATE TABLE results (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('analytical-dense', 'analytical-sparse', 'simulated')),
        sample TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('analytical', 'simulated')),
        network TEXT NOT NULL,
        hardware TEXT NOT NULL,
        mapping TEXT NOT NULL,
        timesteps INTEGER NOT NULL,
        totals_json TEXT NOT NULL,
        UNIQUE (run_id, kind, sample)
      );

      CREATE TABLE accesses (
        result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
        layer TEXT NOT NULL,
        timestep INTEGER NOT NULL,
        level TEXT NOT NULL,
        operand TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('read', 'write')),
        words REAL NOT NULL,
        bits REAL NOT NULL,
        energy_pj REAL NOT NULL
      );
      CREATE INDEX accesses_by_result ON accesses(result_id);

      CREATE TABLE layer_timesteps (
        result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
        layer TEXT NOT NULL,
        timestep INTEGER NOT NULL,
        operations REAL NOT NULL,
        dense_operations REAL NOT NULL,
        compute_energy_pj REAL NOT NULL,
        cycles REAL NOT NULL,
        stall_cycles_json TEXT NOT NULL,
        bound TEXT NOT NULL,
        input_spike_rate REAL NOT NULL
      );
      CREATE INDEX layer_timesteps_by_result ON layer_timesteps(result_id);

      CREATE TABLE validation_rows (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        sample TEXT NOT NULL,
        metric TEXT NOT NULL CHECK (metric IN ('words', 'cycles', 'energyPj', 'operations')),
        layer TEXT NOT NULL,
        timestep INTEGER,
        level TEXT,
        operand TEXT,
        direction TEXT CHECK (direction IS NULL OR direction IN ('read', 'write')),
        analytical REAL NOT NULL,
        simulated REAL NOT NULL,
        difference REAL NOT NULL,
        absolute_error REAL NOT NULL,
        relative_error_percent REAL,
        context_json TEXT NOT NULL
      );
      CREATE INDEX validation_rows_by_run ON validation_rows(run_id);

      CREATE TABLE sparsity_profiles (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        sample TEXT NOT NULL,
        layer TEXT NOT NULL,
        timestep INTEGER NOT NULL,
        input_spike_rate REAL NOT NULL,
        PRIMARY KEY (run_id, sample, layer, timestep)
      );
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/**
 * Applies the migrations that the database lacks, all in one IMMEDIATE transaction, so two processes
 * that open a new database at the same time apply them once. Throws a StoreError when the database
 * is newer than this version of stemsim or is a SQLite database of another program.
 */
export function migrate(db: Database.Database, file: string): void {
  assertKnownSchema(db, file);
  if (readUserVersion(db) === SCHEMA_VERSION) {
    return;
  }

  const applyPending = db.transaction(() => {
    // Another process may have migrated between the check above and this transaction's write lock.
    const currentVersion = readUserVersion(db);
    for (const migration of MIGRATIONS) {
      if (migration.version > currentVersion) {
        db.exec(migration.sql);
        db.pragma(`user_version = ${migration.version}`);
      }
    }
  });
  applyPending.immediate();
}

/** Throws unless the database is empty or has a stemsim schema version that this version can migrate or use. */
export function assertKnownSchema(db: Database.Database, file: string): void {
  const version = readUserVersion(db);
  if (version > SCHEMA_VERSION) {
    throw new StoreError(
      file,
      `has schema version ${version}, newer than the version ${SCHEMA_VERSION} that this stemsim knows; ` +
        'upgrade stemsim, or pass --db with another path',
    );
  }
  if (version === 0) {
    const tableCount = db.prepare("SELECT count(*) AS count FROM sqlite_master WHERE type = 'table'").get() as {
      count: number;
    };
    if (tableCount.count > 0) {
      throw new StoreError(
        file,
        `is a SQLite database of another program (${tableCount.count} tables, user_version 0); stemsim left it ` +
          'unchanged. Pass --db with another path, or set STEMSIM_DB',
      );
    }
  }
}

function readUserVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}
