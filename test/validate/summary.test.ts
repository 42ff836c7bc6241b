import { explainDisagreement } from '../../src/validate/causes';
import { compareResults } from '../../src/validate/compare';
import { relativeErrorPercent } from '../../src/validate/relative-error';
import { summarizeValidation } from '../../src/validate/summary';
import { ValidationRow } from '../../src/validate/types';
import { access, costResult, layerRow } from './hand-built';

function row(fields: Partial<ValidationRow> & Pick<ValidationRow, 'metric' | 'analytical' | 'simulated'>): ValidationRow {
  const difference = fields.analytical - fields.simulated;
  return {
    layer: 'conv1',
    timestep: null,
    level: null,
    operand: null,
    direction: null,
    difference,
    absoluteError: Math.abs(difference),
    relativeErrorPercent: relativeErrorPercent(fields.analytical, fields.simulated),
    context: {},
    ...fields,
  };
}

describe('summarizeValidation', () => {
  const rows: ValidationRow[] = [
    row({ metric: 'words', layer: 'a', timestep: 0, level: 'dram', analytical: 100, simulated: 100 }),
    row({ metric: 'words', layer: 'b', timestep: 0, level: 'dram', analytical: 100.5, simulated: 100 }),
    row({ metric: 'words', layer: 'c', timestep: 0, level: 'dram', analytical: 150, simulated: 100 }),
    row({ metric: 'words', layer: 'd', timestep: 0, level: 'dram', analytical: 5, simulated: 0 }),
    row({ metric: 'words', layer: 'e', timestep: 0, level: 'dram', analytical: 110, simulated: 100 }),
    row({ metric: 'words', layer: 'f', timestep: 0, level: 'dram', analytical: 1100, simulated: 1000 }),
    row({ metric: 'cycles', layer: 'a', analytical: 90, simulated: 100 }),
  ];
  const summary = summarizeValidation(rows, { tolerancePercent: 1, limit: 3 });

  it('counts rows within the tolerance', () => {
    expect(summary.rowCount).toBe(7);
    expect(summary.rowsWithinTolerance).toBe(2);
    expect(summary.tolerancePercent).toBe(1);
  });

  it('summarizes each metric', () => {
    const words = summary.metrics.find((metric) => metric.metric === 'words')!;
    expect(words.rowCount).toBe(6);
    expect(words.rowsWithinTolerance).toBe(2);
    expect(words.unboundedRowCount).toBe(1);
    expect(words.maxRelativeErrorPercent).toBeCloseTo(50, 12);
    expect(words.meanRelativeErrorPercent).toBeCloseTo((0 + 0.5 + 50 + 10 + 10) / 5, 12);
    expect(words.analyticalTotal).toBeCloseTo(1565.5, 12);
    expect(words.simulatedTotal).toBe(1400);

    const cycles = summary.metrics.find((metric) => metric.metric === 'cycles')!;
    expect(cycles.totalRelativeErrorPercent).toBeCloseTo(10, 12);
    expect(summary.metrics.map((metric) => metric.metric)).toEqual(['words', 'cycles']);
  });

  it('ranks unbounded errors first', () => {
    const largestWords = summary.largest.filter((entry) => entry.row.metric === 'words').map((entry) => entry.row.layer);
    expect(largestWords).toEqual(['d', 'c', 'f']);
  });

  it('lists at most limit disagreements per metric', () => {
    expect(summary.largest).toHaveLength(4);
    expect(summary.largest[3].row.metric).toBe('cycles');
  });

  it('uses the default tolerance and limit', () => {
    const defaults = summarizeValidation(rows);
    expect(defaults.tolerancePercent).toBe(1);
    expect(defaults.largest.filter((entry) => entry.row.metric === 'words')).toHaveLength(4);
  });

  it('returns empty figures for no rows', () => {
    const empty = summarizeValidation([]);
    expect(empty.rowCount).toBe(0);
    expect(empty.metrics).toEqual([]);
    expect(empty.largest).toEqual([]);
  });
});

describe('explainDisagreement', () => {
  it('names port contention', () => {
    const causes = explainDisagreement(
      row({ metric: 'cycles', analytical: 800, simulated: 1000, context: { simulatedStallCycles: { 'port:global_buffer': 150, 'bandwidth:dram': 0 } } }),
    );
    expect(causes).toHaveLength(1);
    expect(causes[0]).toContain('port contention');
    expect(causes[0]).toContain('150 cycles');
    expect(causes[0]).toContain('(port:global_buffer)');
  });

  it('names each simulator stall cause', () => {
    const causes = explainDisagreement(
      row({
        metric: 'cycles',
        analytical: 800,
        simulated: 1000,
        context: { simulatedStallCycles: { 'bandwidth:dram': 40, dependency: 12, 'off-chip-transfer': 1500 } },
      }),
    );
    expect(causes).toHaveLength(3);
    expect(causes[0]).toContain('port contention');
    expect(causes[0]).toContain('40 cycles');
    expect(causes[1]).toContain('double-buffer start-up');
    expect(causes[1]).toContain('12 cycles');
    expect(causes[2]).toContain('DRAM transfer phases');
    expect(causes[2]).toContain('1,500 cycles');
  });

  it('names DRAM transfer overlap', () => {
    const causes = explainDisagreement(row({ metric: 'cycles', analytical: 1200, simulated: 1000, context: { analyticalBound: 'off-chip-transfer' } }));
    expect(causes).toEqual([expect.stringContaining('DRAM transfer overlap')]);
  });

  it('ignores stalls when analytical is slower', () => {
    const causes = explainDisagreement(
      row({ metric: 'cycles', analytical: 1200, simulated: 1000, context: { analyticalBound: 'compute', simulatedStallCycles: { 'port:gb': 50 } } }),
    );
    expect(causes).toEqual([]);
  });

  it('names the mean spike rate on a sparse trace', () => {
    const causes = explainDisagreement(
      row({ metric: 'words', timestep: 3, analytical: 90, simulated: 100, context: { analyticalSpikeRate: 0.2, simulatedSpikeRate: 0.35 } }),
    );
    expect(causes).toEqual(['sparse trace: the analytical model uses the mean input spike rate 0.200, the trace has 0.350 at this timestep']);
  });

  it('returns no cause otherwise', () => {
    expect(explainDisagreement(row({ metric: 'words', analytical: 90, simulated: 100, context: { analyticalSpikeRate: 0.2, simulatedSpikeRate: 0.2 } }))).toEqual([]);
  });

  it('explains compareResults rows', () => {
    const analytical = costResult(
      'analytical',
      [access({ layer: 'conv1', timestep: 0, level: 'dram', operand: 'input', direction: 'read', words: 10 })],
      [layerRow({ layer: 'conv1', timestep: 0, cycles: 100, inputSpikeRate: 0.3 })],
    );
    const simulated = costResult(
      'simulated',
      [access({ layer: 'conv1', timestep: 0, level: 'dram', operand: 'input', direction: 'read', words: 20 })],
      [layerRow({ layer: 'conv1', timestep: 0, cycles: 160, inputSpikeRate: 0.6, stallCycles: { 'port:dram': 60 } })],
    );
    const summary = summarizeValidation(compareResults(analytical, simulated));
    const cycles = summary.largest.find((entry) => entry.row.metric === 'cycles')!;
    expect(cycles.causes[0]).toContain('port contention');
    expect(cycles.causes[1]).toContain('sparse trace');
    const words = summary.largest.find((entry) => entry.row.metric === 'words')!;
    expect(words.row.relativeErrorPercent).toBe(50);
    expect(words.causes).toEqual([expect.stringContaining('the trace has 0.600 at this timestep')]);
  });
});
