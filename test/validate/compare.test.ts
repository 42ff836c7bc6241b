import { compareResults } from '../../src/validate/compare';
import { relativeErrorPercent } from '../../src/validate/relative-error';
import { ValidationRow } from '../../src/validate/types';
import { access, costResult, layerRow } from './hand-built';

function findRow(rows: ValidationRow[], fields: Partial<ValidationRow>): ValidationRow {
  const matches = rows.filter((row) => Object.entries(fields).every(([key, value]) => row[key as keyof ValidationRow] === value));
  expect(matches).toHaveLength(1);
  return matches[0];
}

describe('relativeErrorPercent', () => {
  it('divides by the simulated figure', () => {
    expect(relativeErrorPercent(120, 100)).toBeCloseTo(20, 12);
    expect(relativeErrorPercent(80, 100)).toBeCloseTo(20, 12);
    expect(relativeErrorPercent(-5, -10)).toBeCloseTo(50, 12);
  });

  it('is 0 when both figures are 0', () => {
    expect(relativeErrorPercent(0, 0)).toBe(0);
  });

  it('is null when only the simulated figure is 0', () => {
    expect(relativeErrorPercent(3, 0)).toBeNull();
  });

  it('is 100 when only the analytical figure is 0', () => {
    expect(relativeErrorPercent(0, 40)).toBe(100);
  });
});

describe('compareResults', () => {
  const analytical = costResult(
    'analytical',
    [
      access({ layer: 'conv1', timestep: 0, level: 'dram', operand: 'weight', direction: 'read', words: 120 }),
      access({ layer: 'conv1', timestep: 1, level: 'dram', operand: 'weight', direction: 'read', words: 0 }),
      access({ layer: 'conv1', timestep: 0, level: 'global_buffer', operand: 'input', direction: 'read', words: 30 }),
      access({ layer: 'conv1', timestep: 0, level: 'global_buffer', operand: 'input', direction: 'read', words: 20 }),
      access({ layer: 'conv2', timestep: 0, level: 'global_buffer', operand: 'output', direction: 'write', words: 7 }),
    ],
    [
      layerRow({ layer: 'conv1', timestep: 0, cycles: 900, operations: 40, computeEnergyPj: 4, inputSpikeRate: 0.25, bound: 'off-chip-transfer' }),
      layerRow({ layer: 'conv1', timestep: 1, cycles: 100, operations: 40, computeEnergyPj: 4, inputSpikeRate: 0.25 }),
      layerRow({ layer: 'conv2', timestep: 0, cycles: 10 }),
    ],
  );
  const simulated = costResult(
    'simulated',
    [
      access({ layer: 'conv1', timestep: 0, level: 'dram', operand: 'weight', direction: 'read', words: 100 }),
      access({ layer: 'conv1', timestep: 1, level: 'dram', operand: 'weight', direction: 'read', words: 0 }),
      access({ layer: 'conv1', timestep: 0, level: 'global_buffer', operand: 'input', direction: 'read', words: 50 }),
      access({ layer: 'conv2', timestep: 0, level: 'registers', operand: 'state', direction: 'read', words: 9 }),
    ],
    [
      layerRow({ layer: 'conv1', timestep: 0, cycles: 600, operations: 10, computeEnergyPj: 1, inputSpikeRate: 0.1, stallCycles: { 'port:global_buffer': 30 } }),
      layerRow({ layer: 'conv1', timestep: 1, cycles: 200, operations: 70, computeEnergyPj: 7, inputSpikeRate: 0.4, stallCycles: { 'port:global_buffer': 5, 'bandwidth:dram': 2 } }),
      layerRow({ layer: 'conv2', timestep: 0, cycles: 10 }),
    ],
  );
  const rows = compareResults(analytical, simulated);

  it('returns a words row per key', () => {
    const wordRows = rows.filter((row) => row.metric === 'words');
    expect(wordRows).toHaveLength(5);
  });

  it('gives the signed difference and the errors', () => {
    const row = findRow(rows, { metric: 'words', layer: 'conv1', timestep: 0, level: 'dram' });
    expect(row.analytical).toBe(120);
    expect(row.simulated).toBe(100);
    expect(row.difference).toBe(20);
    expect(row.absoluteError).toBe(20);
    expect(row.relativeErrorPercent).toBeCloseTo(20, 12);
    expect(row.operand).toBe('weight');
    expect(row.direction).toBe('read');
  });

  it('sums records that share a key', () => {
    const row = findRow(rows, { metric: 'words', layer: 'conv1', timestep: 0, level: 'global_buffer' });
    expect(row.analytical).toBe(50);
    expect(row.simulated).toBe(50);
    expect(row.relativeErrorPercent).toBe(0);
  });

  it('counts a record missing on one side as 0', () => {
    const analyticalOnly = findRow(rows, { metric: 'words', layer: 'conv2', level: 'global_buffer' });
    expect(analyticalOnly.simulated).toBe(0);
    expect(analyticalOnly.relativeErrorPercent).toBeNull();
    expect(analyticalOnly.difference).toBe(7);

    const simulatedOnly = findRow(rows, { metric: 'words', layer: 'conv2', level: 'registers' });
    expect(simulatedOnly.analytical).toBe(0);
    expect(simulatedOnly.relativeErrorPercent).toBe(100);
    expect(simulatedOnly.difference).toBe(-9);
  });

  it('gives 0 error when both figures are 0', () => {
    const row = findRow(rows, { metric: 'words', layer: 'conv1', timestep: 1 });
    expect(row.relativeErrorPercent).toBe(0);
    expect(row.absoluteError).toBe(0);
  });

  it('lists simulated-only records last', () => {
    const wordRows = rows.filter((row) => row.metric === 'words');
    expect(wordRows[wordRows.length - 1].level).toBe('registers');
  });

  it('adds per-layer cycles, energy and operations', () => {
    const cycles = findRow(rows, { metric: 'cycles', layer: 'conv1' });
    expect(cycles.timestep).toBeNull();
    expect(cycles.level).toBeNull();
    expect(cycles.analytical).toBe(1000);
    expect(cycles.simulated).toBe(800);
    expect(cycles.relativeErrorPercent).toBeCloseTo(25, 12);

    // Energy is memory energy (2 pJ per word) plus compute energy.
    const energy = findRow(rows, { metric: 'energyPj', layer: 'conv1' });
    expect(energy.analytical).toBe((120 + 0 + 30 + 20) * 2 + 8);
    expect(energy.simulated).toBe((100 + 0 + 50) * 2 + 8);

    const operations = findRow(rows, { metric: 'operations', layer: 'conv1' });
    expect(operations.analytical).toBe(80);
    expect(operations.simulated).toBe(80);
    expect(operations.relativeErrorPercent).toBe(0);
  });

  it('records spike rates, bound and stalls as context', () => {
    const wordRow = findRow(rows, { metric: 'words', layer: 'conv1', timestep: 0, level: 'dram' });
    expect(wordRow.context).toEqual({ analyticalSpikeRate: 0.25, simulatedSpikeRate: 0.1 });

    const cycles = findRow(rows, { metric: 'cycles', layer: 'conv1' });
    expect(cycles.context.analyticalBound).toBe('off-chip-transfer');
    expect(cycles.context.simulatedStallCycles).toEqual({ 'port:global_buffer': 35, 'bandwidth:dram': 2 });
    expect(cycles.context.analyticalSpikeRate).toBeCloseTo(0.25, 12);
    expect(cycles.context.simulatedSpikeRate).toBeCloseTo(0.25, 12);

    const energy = findRow(rows, { metric: 'energyPj', layer: 'conv1' });
    expect(energy.context.simulatedStallCycles).toBeUndefined();
  });

  it('returns zero errors against itself', () => {
    const selfRows = compareResults(analytical, analytical);
    expect(selfRows.every((row) => row.difference === 0)).toBe(true);
    expect(selfRows.every((row) => row.relativeErrorPercent === 0 || row.relativeErrorPercent === null)).toBe(true);
    // The conv2 output write is analytical-only in the other comparison; here it matches itself.
    expect(findRow(selfRows, { metric: 'words', layer: 'conv2' }).relativeErrorPercent).toBe(0);
  });

  it('rejects results of different networks', () => {
    const other = { ...simulated, network: 'other-net' };
    expect(() => compareResults(analytical, other)).toThrow("the analytical result has network 'net' and the simulated result has 'other-net'");
  });
});
