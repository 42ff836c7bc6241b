import { CostResult, LatencyBound } from '../metrics/types';

/** The figures of one layer summed over all timesteps. */
export interface LayerTotals {
  layer: string;
  cycles: number;
  operations: number;
  computeEnergyPj: number;
  memoryEnergyPj: number;
  /** Memory plus compute energy. */
  energyPj: number;
  /** Stall cycles by cause, summed over timesteps. */
  stallCycles: Record<string, number>;
  /** Number of layer-timestep rows; 0 when the layer appears only in access rows. */
  timestepCount: number;
  /** Mean input spike rate over the layer's timesteps (0 when timestepCount is 0). */
  meanInputSpikeRate: number;
  /** Bound at the timestep with the most cycles (the first such timestep on a tie). */
  slowestTimestepBound: LatencyBound;
}

/** Sums a result's layer-timestep rows and access rows per layer, in the order layers first appear. */
export function sumLayerTotals(result: CostResult): LayerTotals[] {
  const totalsByLayer = new Map<string, LayerTotals>();
  const slowestCycles = new Map<string, number>();

  for (const row of result.layers) {
    let totals = totalsByLayer.get(row.layer);
    if (totals === undefined) {
      totals = emptyTotals(row.layer, row.bound);
      totalsByLayer.set(row.layer, totals);
    }
    totals.cycles += row.cycles;
    totals.operations += row.operations;
    totals.computeEnergyPj += row.computeEnergyPj;
    totals.meanInputSpikeRate += row.inputSpikeRate;
    for (const [cause, cycles] of Object.entries(row.stallCycles)) {
      totals.stallCycles[cause] = (totals.stallCycles[cause] ?? 0) + cycles;
    }
    totals.timestepCount += 1;
    if (row.cycles > (slowestCycles.get(row.layer) ?? -1)) {
      slowestCycles.set(row.layer, row.cycles);
      totals.slowestTimestepBound = row.bound;
    }
  }

  for (const access of result.accesses) {
    let totals = totalsByLayer.get(access.layer);
    if (totals === undefined) {
      totals = emptyTotals(access.layer, 'compute');
      totalsByLayer.set(access.layer, totals);
    }
    totals.memoryEnergyPj += access.energyPj;
  }

  for (const totals of totalsByLayer.values()) {
    totals.meanInputSpikeRate = totals.timestepCount === 0 ? 0 : totals.meanInputSpikeRate / totals.timestepCount;
    totals.energyPj = totals.computeEnergyPj + totals.memoryEnergyPj;
  }
  return [...totalsByLayer.values()];
}

function emptyTotals(layer: string, bound: LatencyBound): LayerTotals {
  return {
    layer,
    cycles: 0,
    operations: 0,
    computeEnergyPj: 0,
    memoryEnergyPj: 0,
    energyPj: 0,
    stallCycles: {},
    timestepCount: 0,
    meanInputSpikeRate: 0,
    slowestTimestepBound: bound,
  };
}
