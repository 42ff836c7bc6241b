import { Operand } from '../spec/dims';

/** Producer of a set of figures: the closed-form cost model or the cycle-level simulator. */
export type CostSource = 'analytical' | 'simulated';

export type AccessDirection = 'read' | 'write';

/**
 * Accesses of one operand at one memory level in one direction, for one layer and one timestep.
 * `words` counts accesses of the level's word width; `bits` = words x wordBits.
 */
export interface AccessRecord {
  layer: string;
  timestep: number;
  level: string;
  operand: Operand;
  direction: AccessDirection;
  words: number;
  bits: number;
  energyPj: number;
}

/** Limit on a layer's (or a run's) latency. */
export type LatencyBound = 'compute' | `bandwidth:${string}` | 'off-chip-transfer';

/** Compute and latency of one layer at one timestep. */
export interface LayerTimestepCost {
  layer: string;
  timestep: number;
  /** Accumulates or multiply-accumulates executed (after skipping zero spikes on an event-driven array). */
  operations: number;
  denseOperations: number;
  computeEnergyPj: number;
  cycles: number;
  /** Cycles spent waiting, by cause (for example 'bandwidth:dram', 'port:global_buffer'); empty for the analytical model. */
  stallCycles: Record<string, number>;
  bound: LatencyBound;
  /** Input spike rate used for this layer and timestep (1 is dense). */
  inputSpikeRate: number;
}

export interface CostTotals {
  energyPj: number;
  computeEnergyPj: number;
  memoryEnergyPj: number;
  cycles: number;
  seconds: number;
  offChipBits: number;
  offChipReadBits: number;
  offChipWriteBits: number;
  operations: number;
  bound: LatencyBound;
}

/** The figures of one estimate or one simulation. */
export interface CostResult {
  source: CostSource;
  network: string;
  hardware: string;
  mapping: string;
  timesteps: number;
  accesses: AccessRecord[];
  layers: LayerTimestepCost[];
  totals: CostTotals;
}
