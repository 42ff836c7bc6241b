import { LoopDim, Operand } from '../../spec/dims';
import { ResolvedLevel } from '../../spec/hardware';

/**
 * What a tracker's transfers do:
 * - Fill: weight or input tiles filled into a level from its parent;
 * - Accumulator: state or partial_sum tiles filled into their innermost level and written back;
 * - SpikeOutput: a stateful layer's spikes, written to the parent once per output tile and
 *   timestep when the reduction of that timestep ends.
 */
export const enum TrackerRole {
  Fill = 0,
  Accumulator = 1,
  SpikeOutput = 2,
}

/** The buffer tensor whose bypass sends a tracker's parent accesses to DRAM instead of the buffer. */
export type BufferTensorRole = 'weights' | 'inputs' | 'output' | 'state';

/**
 * One operand at one memory level of a node's loop nest. The walker watches the loops above the
 * level: a tile is filled when an operand-relevant loop among them changes, and retired just
 * before the next fill.
 */
export interface OperandTracker {
  operand: Operand;
  role: TrackerRole;
  level: ResolvedLevel;
  /** Next outer level of the operand's chain, where fills come from and write-backs go. */
  parent: ResolvedLevel;
  bufferTensor: BufferTensorRole;
  /** Bits of one tile at `level` (whole array, not per PE). */
  tileBits: number;
  /** Bits of the final write-back of a partial_sum tile, which is the output at outputBits; else equal to tileBits. */
  finalTileBits: number;
  /** Position of the innermost operand-relevant loop above the level, or -1 when none is. */
  lastRelevantPosition: number;
  /** Bit p is set when loop p sits above the level and is irrelevant to the operand. */
  irrelevantMask: number;
  /** true when every loop above the level is a step loop, so fills line up with steps. */
  atStepLevel: boolean;
  /** Tiles the level can hold at once for this operand: 2 when double buffered, else 1. */
  slots: number;
  /** Accumulator only: the first touch of a tile starts without reading the parent. */
  firstTouchSkipsRead: boolean;
}

/** The loop dimensions that index each operand, with a pool or add layer's input indexed by K. */
export function relevantDims(operand: Operand, channelWise: boolean): readonly LoopDim[] {
  switch (operand) {
    case 'weight':
      return ['K', 'C', 'FY', 'FX'];
    case 'input':
      return channelWise ? ['T', 'B', 'K', 'OY', 'OX', 'FY', 'FX'] : ['T', 'B', 'C', 'OY', 'OX', 'FY', 'FX'];
    case 'output':
    case 'partial_sum':
      return ['T', 'B', 'K', 'OY', 'OX'];
    case 'state':
      return ['B', 'K', 'OY', 'OX'];
  }
}
