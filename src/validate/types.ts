import { AccessDirection, LatencyBound } from '../metrics/types';
import { Operand } from '../spec/dims';

/**
 * The figure a validation row compares: `words` per access record, and per layer `cycles`,
 * `energyPj` (memory plus compute energy) and `operations`.
 */
export type ValidationMetric = 'words' | 'cycles' | 'energyPj' | 'operations';

export const VALIDATION_METRICS: readonly ValidationMetric[] = ['words', 'cycles', 'energyPj', 'operations'];

/** Facts about a row that the cause rules read. */
export interface ValidationContext {
  /** Input spike rate the analytical model used (the mean over timesteps for a per-layer row). */
  analyticalSpikeRate?: number;
  /** Input spike rate of the simulated trace (the mean over timesteps for a per-layer row). */
  simulatedSpikeRate?: number;
  /** Bound the analytical model named at the layer's slowest timestep (cycles rows only). */
  analyticalBound?: LatencyBound;
  /** Simulated stall cycles by cause, summed over timesteps (cycles rows only). */
  simulatedStallCycles?: Record<string, number>;
}

/**
 * One analytical figure next to the simulated one.
 * Access rows (`words`) have a timestep, level, operand and direction. Per-layer rows sum all
 * timesteps and have null in those fields.
 */
export interface ValidationRow {
  metric: ValidationMetric;
  layer: string;
  timestep: number | null;
  level: string | null;
  operand: Operand | null;
  direction: AccessDirection | null;
  analytical: number;
  simulated: number;
  /** analytical - simulated, in the metric's unit: positive when the analytical model over-estimates. */
  difference: number;
  /** |analytical - simulated|, in the metric's unit. */
  absoluteError: number;
  /**
   * 100 x |analytical - simulated| / |simulated|. When the simulated figure is 0 it is 0 if the
   * analytical figure is 0 too, and null otherwise (the error is unbounded).
   */
  relativeErrorPercent: number | null;
  context: ValidationContext;
}
