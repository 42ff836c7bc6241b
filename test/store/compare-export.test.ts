import { CSV_COLUMNS } from '../../src/store/export-run';
import { openStore } from '../../src/store/store';
import { makeRunRequest } from './fixtures';
import { temporaryDatabasePath } from './temp-database';

describe('exportRun', () => {
  const store = openStore(temporaryDatabasePath());
  const request = makeRunRequest('export');
  request.simulated!['sample-a'].accesses[0].layer = 'conv1, "quoted"';
  const runId = store.saveRun(request);
  afterAll(() => store.close());

  it('writes JSON that parses to the stored run', () => {
    expect(JSON.parse(store.exportRun(runId, 'json'))).toEqual(store.getRun(runId));
  });

  it('writes one CSV line per stored row', () => {
    const lines = store.exportRun(runId, 'csv').trimEnd().split('\n');
    const results = [request.analyticalDense!, ...Object.values(request.analyticalSparse!), ...Object.values(request.simulated!)];
    const accessCount = results.reduce((sum, result) => sum + result.accesses.length, 0);
    const layerCount = results.reduce((sum, result) => sum + result.layers.length, 0);
    const validationCount = Object.values(request.validation!).reduce((sum, rows) => sum + rows.length, 0);
    const sparsityCount = Object.values(request.sparsityProfile!).reduce((sum, rows) => sum + rows.length, 0);

    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(1 + accessCount + layerCount + validationCount + sparsityCount);
    expect(lines.filter((line) => line.startsWith('access,'))).toHaveLength(accessCount);
    expect(lines.filter((line) => line.startsWith('layer_timestep,'))).toHaveLength(layerCount);
    expect(lines.filter((line) => line.startsWith('validation,'))).toHaveLength(validationCount);
    expect(lines.filter((line) => line.startsWith('sparsity,'))).toHaveLength(sparsityCount);
  });

  it('fills the CSV cells of an access row', () => {
    const lines = store.exportRun(runId, 'csv').split('\n');
    const access = request.analyticalDense!.accesses[1];
    const cells = lines[2].split(',');
    const cell = (column: (typeof CSV_COLUMNS)[number]): string => cells[CSV_COLUMNS.indexOf(column)];

    expect(cell('record')).toBe('access');
    expect(cell('kind')).toBe('analytical-dense');
    expect(cell('sample')).toBe('');
    expect(cell('layer')).toBe(access.layer);
    expect(cell('direction')).toBe(access.direction);
    expect(Number(cell('words'))).toBe(access.words);
    expect(Number(cell('energy_pj'))).toBe(access.energyPj);
    expect(cell('cycles')).toBe('');
    expect(cells).toHaveLength(CSV_COLUMNS.length);
  });

  it('quotes CSV cells with commas and quotes', () => {
    const csv = store.exportRun(runId, 'csv');
    expect(csv).toContain('access,simulated,sample-a,"conv1, ""quoted""",0,dram,weight,read,');
  });
});

describe('compareRuns', () => {
  const store = openStore(temporaryDatabasePath());
  const first = makeRunRequest('first');
  const second = makeRunRequest('second');
  second.inputs.hardware = { name: 'bigger-hw', sha256: 'f'.repeat(64) };
  second.simulated!['sample-a'].totals.cycles = first.simulated!['sample-a'].totals.cycles * 1.5;
  const firstId = store.saveRun(first);
  const secondId = store.saveRun(second);
  const comparison = store.compareRuns(firstId, secondId);
  afterAll(() => store.close());

  it('names the run ids', () => {
    expect(comparison.firstRunId).toBe(firstId);
    expect(comparison.secondRunId).toBe(secondId);
  });

  it('lists inputs with their content match', () => {
    const network = comparison.inputs.find((input) => input.role === 'network')!;
    expect(network.sameContent).toBe(false);
    const hardware = comparison.inputs.find((input) => input.role === 'hardware')!;
    expect(hardware.sameContent).toBe(false);
    expect(hardware.second).toEqual({ name: 'bigger-hw', sha256: 'f'.repeat(64) });
    const mapping = comparison.inputs.find((input) => input.role === 'mapping')!;
    expect(mapping.sameContent).toBe(true);
    const traces = comparison.inputs.filter((input) => input.role === 'trace');
    expect(traces.map((trace) => trace.sample)).toEqual(['sample-a', 'sample-b']);
    expect(traces.every((trace) => trace.sameContent)).toBe(true);
  });

  it('lists only differing options', () => {
    expect(comparison.options).toEqual([{ key: 'variant', first: 'first', second: 'second' }]);
  });

  it('compares totals', () => {
    const cycles = comparison.totals.find((row) => row.kind === 'simulated' && row.sample === 'sample-a' && row.metric === 'cycles')!;
    expect(cycles.first).toBe(first.simulated!['sample-a'].totals.cycles);
    expect(cycles.difference).toBeCloseTo(cycles.first! * 0.5, 6);
    expect(cycles.relativeDifferencePercent).toBeCloseTo(50, 9);

    const denseEnergy = comparison.totals.find((row) => row.kind === 'analytical-dense' && row.metric === 'energyPj')!;
    expect(denseEnergy.difference).toBe(0);
    expect(denseEnergy.relativeDifferencePercent).toBe(0);
  });

  it('compares layers', () => {
    const layerRows = comparison.layers.filter((row) => row.kind === 'simulated' && row.sample === 'sample-b' && row.metric === 'cycles');
    expect(layerRows.map((row) => row.layer)).toEqual(['conv1', 'conv2']);
    const expectedConv1 = first.simulated!['sample-b'].layers.filter((row) => row.layer === 'conv1').reduce((sum, row) => sum + row.cycles, 0);
    expect(layerRows[0].first).toBeCloseTo(expectedConv1, 9);
    expect(layerRows[0].difference).toBe(0);
  });

  it('marks figures one run lacks', () => {
    const third = makeRunRequest('third', { samples: ['sample-c'] });
    const thirdId = store.saveRun(third);
    const partial = store.compareRuns(firstId, thirdId);
    const missing = partial.totals.find((row) => row.kind === 'simulated' && row.sample === 'sample-c' && row.metric === 'energyPj')!;
    expect(missing.first).toBeNull();
    expect(missing.second).toBe(third.simulated!['sample-c'].totals.energyPj);
    expect(missing.difference).toBeNull();
    expect(missing.relativeDifferencePercent).toBeNull();
  });
});
