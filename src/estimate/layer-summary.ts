import { CostResult, LatencyBound } from '../metrics/types';
import { ResolvedHardware } from '../spec/hardware';

/** One layer's figures summed over its timesteps. */
export interface LayerSummary {
  layer: string;
  operations: number;
  cycles: number;
  /** The bound that set most of the layer's cycles. */
  bound: LatencyBound;
  offChipBits: number;
  /** Bits read and written at each on-chip level, by level name. */
  onChipBits: Record<string, number>;
  energyPj: number;
}

/** Sums a full CostResult per layer, in network order. */
export function summarizeLayers(result: CostResult, hardware: ResolvedHardware): LayerSummary[] {
  const summaries = new Map<string, LayerSummary & { boundCycles: Map<LatencyBound, number> }>();
  const summaryOf = (layer: string) => {
    let summary = summaries.get(layer);
    if (!summary) {
      const onChipBits = Object.fromEntries(hardware.levels.filter((level) => !level.isOffChip).map((level) => [level.name, 0]));
      summary = { layer, operations: 0, cycles: 0, bound: 'compute', offChipBits: 0, onChipBits, energyPj: 0, boundCycles: new Map() };
      summaries.set(layer, summary);
    }
    return summary;
  };

  for (const cost of result.layers) {
    const summary = summaryOf(cost.layer);
    summary.operations += cost.operations;
    summary.cycles += cost.cycles;
    summary.energyPj += cost.computeEnergyPj;
    summary.boundCycles.set(cost.bound, (summary.boundCycles.get(cost.bound) ?? 0) + cost.cycles);
  }
  for (const access of result.accesses) {
    const summary = summaryOf(access.layer);
    summary.energyPj += access.energyPj;
    if (access.level === hardware.dram.name) summary.offChipBits += access.bits;
    else summary.onChipBits[access.level] += access.bits;
  }

  return [...summaries.values()].map(({ boundCycles, ...summary }) => {
    let bound = summary.bound;
    for (const [candidate, cycles] of boundCycles) {
      if (cycles > (boundCycles.get(bound) ?? 0)) bound = candidate;
    }
    return { ...summary, bound };
  });
}
