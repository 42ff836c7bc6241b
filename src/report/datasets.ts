import { CostResult } from '../metrics/types';
import { NO_SAMPLE, ResultKind, StoredRun } from '../store/types';

/** One stored cost result of a run with its display label, for example "simulated, sample a". */
export interface LabelledResult {
  label: string;
  kind: ResultKind;
  sample: string;
  result: CostResult;
}

export interface TimestepRow {
  result: string;
  timestep: number;
  energyPj: number;
  computeEnergyPj: number;
  memoryEnergyPj: number;
  offChipReadBits: number;
  offChipWriteBits: number;
}

export interface BreakdownRow {
  result: string;
  level: string;
  operand: string;
  energyPj: number;
  bits: number;
}

export interface LayerComparisonRow {
  sample: string;
  layer: string;
  metric: 'cycles' | 'energyPj';
  source: 'analytical' | 'simulated';
  value: number;
  relativeErrorPercent: number | null;
}

export interface SparsityRow {
  sample: string;
  layer: string;
  timestep: number;
  inputSpikeRate: number;
}

/** Lists a run's results: dense analytical first, then per sample the sparse analytical and simulated ones. */
export function listResults(run: StoredRun): LabelledResult[] {
  const results: LabelledResult[] = [];
  if (run.analyticalDense !== null) {
    results.push({ label: 'analytical, dense', kind: 'analytical-dense', sample: NO_SAMPLE, result: run.analyticalDense });
  }
  const samples = [...new Set([...Object.keys(run.analyticalSparse), ...Object.keys(run.simulated)])];
  for (const sample of samples) {
    const sparse = run.analyticalSparse[sample];
    if (sparse !== undefined) {
      results.push({ label: `analytical, sample ${sample}`, kind: 'analytical-sparse', sample, result: sparse });
    }
    const simulated = run.simulated[sample];
    if (simulated !== undefined) {
      results.push({ label: `simulated, sample ${sample}`, kind: 'simulated', sample, result: simulated });
    }
  }
  return results;
}

/** Sums energy and off-chip traffic per result and timestep. */
export function buildTimestepRows(results: LabelledResult[], offChipLevel: string): TimestepRow[] {
  const rows: TimestepRow[] = [];
  for (const { label, result } of results) {
    const byTimestep = new Map<number, TimestepRow>();
    const rowAt = (timestep: number): TimestepRow => {
      let row = byTimestep.get(timestep);
      if (row === undefined) {
        row = { result: label, timestep, energyPj: 0, computeEnergyPj: 0, memoryEnergyPj: 0, offChipReadBits: 0, offChipWriteBits: 0 };
        byTimestep.set(timestep, row);
      }
      return row;
    };

    for (const access of result.accesses) {
      const row = rowAt(access.timestep);
      row.memoryEnergyPj += access.energyPj;
      if (access.level === offChipLevel && access.direction === 'read') {
        row.offChipReadBits += access.bits;
      }
      if (access.level === offChipLevel && access.direction === 'write') {
        row.offChipWriteBits += access.bits;
      }
    }
    for (const layer of result.layers) {
      rowAt(layer.timestep).computeEnergyPj += layer.computeEnergyPj;
    }

    for (const row of [...byTimestep.values()].sort((first, second) => first.timestep - second.timestep)) {
      row.energyPj = row.computeEnergyPj + row.memoryEnergyPj;
      rows.push(row);
    }
  }
  return rows;
}

/** Sums access energy and bits per result, level and operand. */
export function buildBreakdownRows(results: LabelledResult[]): BreakdownRow[] {
  const rows: BreakdownRow[] = [];
  for (const { label, result } of results) {
    const byKey = new Map<string, BreakdownRow>();
    for (const access of result.accesses) {
      const key = `${access.level}\u0000${access.operand}`;
      let row = byKey.get(key);
      if (row === undefined) {
        row = { result: label, level: access.level, operand: access.operand, energyPj: 0, bits: 0 };
        byKey.set(key, row);
      }
      row.energyPj += access.energyPj;
      row.bits += access.bits;
    }
    rows.push(...byKey.values());
  }
  return rows;
}

/** Turns the per-layer cycles and energy validation rows into one row per source, for grouped bars. */
export function buildLayerComparisonRows(run: StoredRun): LayerComparisonRow[] {
  const rows: LayerComparisonRow[] = [];
  for (const [sample, validationRows] of Object.entries(run.validation)) {
    for (const row of validationRows) {
      if (row.metric !== 'cycles' && row.metric !== 'energyPj') {
        continue;
      }
      const shared = { sample, layer: row.layer, metric: row.metric, relativeErrorPercent: row.relativeErrorPercent };
      rows.push({ ...shared, source: 'analytical', value: row.analytical });
      rows.push({ ...shared, source: 'simulated', value: row.simulated });
    }
  }
  return rows;
}

/**
 * Returns the input spike rate per sample, layer and timestep: the stored sparsity profile, or the
 * simulated results' rates when the run has no profile.
 */
export function buildSparsityRows(run: StoredRun): SparsityRow[] {
  const rows: SparsityRow[] = [];
  const profiles = Object.entries(run.sparsityProfile);
  if (profiles.length > 0) {
    for (const [sample, profile] of profiles) {
      rows.push(...profile.map((row) => ({ sample, ...row })));
    }
    return rows;
  }
  for (const [sample, result] of Object.entries(run.simulated)) {
    rows.push(...result.layers.map((row) => ({ sample, layer: row.layer, timestep: row.timestep, inputSpikeRate: row.inputSpikeRate })));
  }
  return rows;
}

/** Returns the layer names in the order the run's results first list them (the network order). */
export function layerOrder(results: LabelledResult[]): string[] {
  const names = new Set<string>();
  for (const { result } of results) {
    for (const row of result.layers) {
      names.add(row.layer);
    }
  }
  return [...names];
}

/**
 * Returns the memory level names in the order the run's access rows first list them.
 * NOTE: the store keeps only the off-chip level's name, not the hardware's level list, so a level
 * order that differs from the hardware spec's order shows here as it is.
 */
export function levelOrder(results: LabelledResult[]): string[] {
  const names = new Set<string>();
  for (const { result } of results) {
    for (const access of result.accesses) {
      names.add(access.level);
    }
  }
  return [...names];
}
