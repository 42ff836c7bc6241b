import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { computeInputKey, TOOL_VERSION } from '../../src/store/input-key';
import { SCHEMA_VERSION } from '../../src/store/migrations';
import { openStore, RunStore } from '../../src/store/store';
import { makeRunRequest } from './fixtures';
import { hashDatabaseFiles, temporaryDatabasePath } from './temp-database';

describe('saved run', () => {
  let dbFile: string;
  let store: RunStore;

  beforeEach(() => {
    dbFile = temporaryDatabasePath();
    store = openStore(dbFile);
  });

  afterEach(() => {
    store.close();
  });

  it('reads back equal', () => {
    const request = makeRunRequest('round-trip');
    const before = Date.now();
    const runId = store.saveRun(request);
    const run = store.getRun(runId);

    expect(run.id).toBe(runId);
    expect(run.toolVersion).toBe(TOOL_VERSION);
    expect(Date.parse(run.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(run.inputKey).toBe(computeInputKey(request.inputs, request.options));
    expect(run.inputs).toEqual(request.inputs);
    expect(run.options).toEqual(request.options);
    expect(run.offChipLevel).toBe('dram');
    expect(run.summary).toEqual(request.summary);
    expect(run.analyticalDense).toEqual(request.analyticalDense);
    expect(run.analyticalSparse).toEqual(request.analyticalSparse);
    expect(run.simulated).toEqual(request.simulated);
    expect(run.validation).toEqual(request.validation);
    expect(run.sparsityProfile).toEqual(request.sparsityProfile);
  });

  it('keeps row order and exact numbers', () => {
    const request = makeRunRequest('order');
    const simulated = request.simulated!['sample-b'];
    simulated.accesses[5].words = 0.1 + 0.2;
    simulated.layers[1].inputSpikeRate = 1 / 3;
    const run = store.getRun(store.saveRun(request));

    const storedAccesses = run.simulated['sample-b'].accesses;
    expect(storedAccesses.map((access) => access.words)).toEqual(simulated.accesses.map((access) => access.words));
    expect(storedAccesses[5].words).toBe(0.1 + 0.2);
    expect(run.simulated['sample-b'].layers[1].inputSpikeRate).toBe(1 / 3);
    expect(run.validation['sample-a'].map((row) => row.relativeErrorPercent)).toEqual(
      request.validation!['sample-a'].map((row) => row.relativeErrorPercent),
    );
  });

  it('saves a run without optional parts', () => {
    const request = makeRunRequest('minimal', { samples: [] });
    delete request.inputs.weights;
    delete request.inputs.traces;
    delete request.analyticalDense;
    const run = store.getRun(store.saveRun(request));

    expect(run.inputs).toEqual(request.inputs);
    expect(run.analyticalDense).toBeNull();
    expect(run.simulated).toEqual({});
    expect(run.validation).toEqual({});
  });

  it('lists runs with their totals', () => {
    const firstRequest = makeRunRequest('first');
    const firstId = store.saveRun(firstRequest);
    const secondId = store.saveRun(makeRunRequest('second', { samples: ['only'] }));
    const runs = store.listRuns();

    expect(runs.map((run) => run.id)).toEqual([firstId, secondId]);
    expect(store.latestRunId()).toBe(secondId);
    expect(runs[0].network).toBe('test-net');
    expect(runs[0].samples).toEqual(['sample-a', 'sample-b']);
    expect(runs[0].analyticalDenseEnergyPj).toBe(firstRequest.analyticalDense!.totals.energyPj);
    const simulatedCycles = Object.values(firstRequest.simulated!).map((result) => result.totals.cycles);
    expect(runs[0].simulatedMeanCycles).toBeCloseTo((simulatedCycles[0] + simulatedCycles[1]) / 2, 9);
    expect(runs[1].samples).toEqual(['only']);
  });

  it('reports a missing run id', () => {
    expect(() => store.getRun(42)).toThrow(`${dbFile}: run 42 not found; \`stemsim db list\` lists the stored runs`);
  });

  it('reports progress inside the save', () => {
    const request = makeRunRequest('progress');
    const progress: Array<[number, number]> = [];
    store.saveRun(request, { onProgress: (rowsWritten, rowsTotal) => progress.push([rowsWritten, rowsTotal]) });

    const accessRows = Object.values(request.simulated!).reduce((sum, result) => sum + result.accesses.length, 0);
    expect(progress.length).toBeGreaterThan(5);
    const [lastWritten, total] = progress[progress.length - 1];
    expect(lastWritten).toBe(total);
    expect(total).toBeGreaterThan(accessRows);
    for (let index = 1; index < progress.length; index += 1) {
      expect(progress[index][0]).toBeGreaterThanOrEqual(progress[index - 1][0]);
    }
  });
});

describe('run reuse', () => {
  it('finds the same inputs without writing', () => {
    const dbFile = temporaryDatabasePath();
    const store = openStore(dbFile);
    const request = makeRunRequest('reuse');
    const runId = store.saveRun(request);
    const bytesBefore = hashDatabaseFiles(dbFile);

    const sameInputs = makeRunRequest('reuse');
    sameInputs.inputs.network.path = '/moved/test-net.json';
    sameInputs.inputs.hardware.name = 'renamed-hw';
    sameInputs.summary = { note: 'a different summary' };
    expect(store.findRun(store.inputKeyOf(sameInputs))).toBe(runId);
    expect(store.saveRun(sameInputs)).toBe(runId);

    expect(hashDatabaseFiles(dbFile)).toEqual(bytesBefore);
    expect(store.listRuns()).toHaveLength(1);
    expect(store.getRun(runId).summary).toEqual(request.summary);
    store.close();
  });

  it('keys runs on content, options, samples and version', () => {
    const request = makeRunRequest('key');
    const key = computeInputKey(request.inputs, request.options);
    const reordered = { ...request.options, timeBatch: 1 };

    expect(computeInputKey(request.inputs, { variant: 'key', simulate: { stemsAssumptions: false, seed: 7 }, timeBatch: 1 })).toBe(key);
    expect(computeInputKey(request.inputs, reordered)).toBe(key);
    expect(computeInputKey(request.inputs, { ...request.options, timeBatch: 2 })).not.toBe(key);
    expect(computeInputKey(request.inputs, request.options, '9.9.9')).not.toBe(key);
    expect(computeInputKey({ ...request.inputs, weights: undefined }, request.options)).not.toBe(key);
    expect(computeInputKey({ ...request.inputs, traces: request.inputs.traces!.slice().reverse() }, request.options)).toBe(key);
    const renamedSample = request.inputs.traces!.map((trace, index) => (index === 0 ? { ...trace, sample: 'other' } : trace));
    expect(computeInputKey({ ...request.inputs, traces: renamedSample }, request.options)).not.toBe(key);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
  });

  it('stores a new run for other options', () => {
    const store = openStore(temporaryDatabasePath());
    const request = makeRunRequest('options');
    const firstId = store.saveRun(request);
    const secondId = store.saveRun({ ...request, options: { ...request.options, timeBatch: 4 } });
    expect(secondId).not.toBe(firstId);
    expect(store.listRuns()).toHaveLength(2);
    store.close();
  });
});

describe('database file', () => {
  const savedEnvironment = process.env.STEMSIM_DB;
  const savedDirectory = process.cwd();

  afterEach(() => {
    if (savedEnvironment === undefined) {
      delete process.env.STEMSIM_DB;
    } else {
      process.env.STEMSIM_DB = savedEnvironment;
    }
    process.chdir(savedDirectory);
  });

  it('is migrated and in WAL mode', () => {
    const dbFile = temporaryDatabasePath();
    openStore(dbFile).close();
    // A second open that applied the migrations again would throw, because the tables exist.
    openStore(dbFile).close();

    const raw = new Database(dbFile, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining(['accesses', 'inputs', 'layer_timesteps', 'results', 'run_inputs', 'runs', 'sparsity_profiles', 'validation_rows']),
    );
    raw.close();
  });

  it('defaults to stemsim-data under the working directory', () => {
    delete process.env.STEMSIM_DB;
    const directory = path.dirname(temporaryDatabasePath());
    process.chdir(directory);
    const store = openStore();
    const expected = path.join(fs.realpathSync(directory), 'stemsim-data', 'stemsim.db');
    expect(fs.realpathSync(store.file)).toBe(expected);
    expect(fs.existsSync(expected)).toBe(true);
    store.close();
  });

  it('follows STEMSIM_DB, unless a path is given', () => {
    const fromEnvironment = temporaryDatabasePath();
    const explicit = temporaryDatabasePath();
    process.env.STEMSIM_DB = fromEnvironment;

    const environmentStore = openStore();
    expect(environmentStore.file).toBe(fromEnvironment);
    environmentStore.close();
    const explicitStore = openStore(explicit);
    expect(explicitStore.file).toBe(explicit);
    explicitStore.close();
  });

  it('creates missing folders', () => {
    const dbFile = path.join(path.dirname(temporaryDatabasePath()), 'nested', 'deeper', 'runs.db');
    openStore(dbFile).close();
    expect(fs.existsSync(dbFile)).toBe(true);
  });
});
