import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StoreError } from '../../src/store/errors';
import { SCHEMA_VERSION } from '../../src/store/migrations';
import { openStore, RunStore } from '../../src/store/store';
import { makeRunRequest } from './fixtures';
import { hashDatabaseFiles, hashFile, temporaryDatabasePath } from './temp-database';

function expectStoreError(action: () => unknown, ...fragments: string[]): StoreError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(StoreError);
  for (const fragment of fragments) {
    expect((caught as StoreError).message).toContain(fragment);
  }
  return caught as StoreError;
}

function listFolder(file: string): string[] {
  return fs.readdirSync(path.dirname(file)).sort();
}

describe('opening a file that is not a stemsim database', () => {
  it('rejects a text file unchanged', () => {
    const file = temporaryDatabasePath();
    fs.writeFileSync(file, 'layer,energy\nconv1,12\nconv2,30\n');
    const hashBefore = hashFile(file);

    const error = expectStoreError(() => openStore(file), file, 'is not a SQLite database', 'Pass --db with another path');
    expect(error.file).toBe(file);
    expect(hashFile(file)).toBe(hashBefore);
    expect(listFolder(file)).toEqual(['runs.db']);
  });

  it('rejects a file shorter than the header', () => {
    const file = temporaryDatabasePath();
    fs.writeFileSync(file, 'SQLite');
    expectStoreError(() => openStore(file), 'is not a SQLite database');
    expect(fs.readFileSync(file, 'utf8')).toBe('SQLite');
  });

  it('rejects a SQLite database of another program', () => {
    const file = temporaryDatabasePath();
    const other = new Database(file);
    other.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('keep me');");
    other.close();
    const hashBefore = hashFile(file);

    expectStoreError(() => openStore(file), file, 'is a SQLite database of another program', 'left it unchanged');
    expect(hashFile(file)).toBe(hashBefore);
    expect(listFolder(file)).toEqual(['runs.db']);
  });

  it('rejects a newer schema version', () => {
    const file = temporaryDatabasePath();
    openStore(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();

    expectStoreError(() => openStore(file), `has schema version ${SCHEMA_VERSION + 1}`, 'upgrade stemsim');
  });

  it('rejects a damaged file with a valid header', () => {
    const file = temporaryDatabasePath();
    const bytes = Buffer.alloc(4096, 0xab);
    Buffer.from('SQLite format 3\0', 'latin1').copy(bytes);
    fs.writeFileSync(file, bytes);

    expectStoreError(() => openStore(file), file, 'cannot be opened');
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  it('does not create a missing file for readers', () => {
    const file = temporaryDatabasePath();
    expectStoreError(() => openStore(file, { mustExist: true }), file, 'no database found');
    expect(fs.existsSync(file)).toBe(false);
  });
});

const TABLES = ['runs', 'inputs', 'run_inputs', 'results', 'accesses', 'layer_timesteps', 'validation_rows', 'sparsity_profiles'];

function countRows(dbFile: string): Record<string, number> {
  const raw = new Database(dbFile, { readonly: true });
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    counts[table] = raw.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  }
  raw.close();
  return counts;
}

describe('failing save', () => {
  let dbFile: string;
  let store: RunStore;
  let earlierId: number;
  let rowCountsBefore: Record<string, number>;
  let databaseHashBefore: string;

  beforeEach(() => {
    dbFile = temporaryDatabasePath();
    store = openStore(dbFile);
    earlierId = store.saveRun(makeRunRequest('earlier'));
    rowCountsBefore = countRows(dbFile);
    databaseHashBefore = hashDatabaseFiles(dbFile).database;
  });

  afterEach(() => {
    store.close();
  });

  /** Checks that the failed request left no rows; the WAL may keep rolled-back frames, so its bytes are not compared. */
  function expectUnchanged(failedRequest: ReturnType<typeof makeRunRequest>): void {
    expect(store.listRuns().map((run) => run.id)).toEqual([earlierId]);
    expect(store.findRun(store.inputKeyOf(failedRequest))).toBeUndefined();
    expect(countRows(dbFile)).toEqual(rowCountsBefore);
    expect(hashDatabaseFiles(dbFile).database).toBe(databaseHashBefore);
  }

  it('rolls back a non-finite value', () => {
    const request = makeRunRequest('not-finite');
    const accesses = request.simulated!['sample-b'].accesses;
    accesses[accesses.length - 1].words = Number.NaN;

    const error = expectStoreError(
      () => store.saveRun(request),
      'cannot save the run, nothing was written',
      `simulated["sample-b"].accesses[${accesses.length - 1}].words is NaN; expected a finite number`,
    );
    expect(error.file).toBe(dbFile);
    expectUnchanged(request);
  });

  it('rolls back a constraint violation', () => {
    const request = makeRunRequest('bad-direction');
    (request.validation!['sample-b'][3] as { direction: string }).direction = 'sideways';

    expectStoreError(() => store.saveRun(request), 'cannot save the run, nothing was written', 'CHECK constraint failed');
    expectUnchanged(request);
  });

  it('rolls back a duplicate sparsity row', () => {
    const request = makeRunRequest('duplicate');
    const profile = request.sparsityProfile!['sample-b'];
    profile.push({ ...profile[0] });

    expectStoreError(() => store.saveRun(request), 'UNIQUE constraint failed');
    expectUnchanged(request);
  });

  it('rejects invalid hashes, samples and options', () => {
    const badHash = makeRunRequest('bad-hash');
    badHash.inputs.mapping.sha256 = 'not-a-hash';
    expectStoreError(() => store.saveRun(badHash), 'inputs.mapping.sha256 is "not-a-hash"; expected 64 lowercase hex digits');

    const emptySample = makeRunRequest('empty-sample');
    emptySample.simulated![''] = emptySample.simulated!['sample-a'];
    expectStoreError(() => store.saveRun(emptySample), 'simulated[""] has an empty sample id');

    const badOption = makeRunRequest('bad-option');
    (badOption.options as Record<string, unknown>).threshold = Number.POSITIVE_INFINITY;
    expectStoreError(() => store.saveRun(badOption), 'options.threshold is Infinity');

    expect(countRows(dbFile)).toEqual(rowCountsBefore);
  });

  it('keeps working after a failed save', () => {
    const failing = makeRunRequest('failing');
    failing.analyticalDense!.layers[0].cycles = Number.NaN;
    expectStoreError(() => store.saveRun(failing), 'analyticalDense.layers[0].cycles is NaN');

    const fixed = makeRunRequest('failing');
    const runId = store.saveRun(fixed);
    expect(store.getRun(runId).analyticalDense).toEqual(fixed.analyticalDense);
  });
});
