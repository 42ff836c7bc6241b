import { LOOP_DIMS, LoopDim, Operand, OPERAND_DIMS, OPERANDS } from '../spec/dims';
import { ResolvedHardware } from '../spec/hardware';
import { ResolvedLayer } from '../spec/network';
import { layerGeometry } from '../mapping/tiles';

/** Index of each operand in the count arrays: the order of OPERANDS. */
export const OPERAND_INDEX: Record<Operand, number> = { weight: 0, input: 1, output: 2, partial_sum: 3, state: 4 };
export const WEIGHT = 0;
export const INPUT = 1;
export const OUTPUT = 2;
export const PARTIAL_SUM = 3;
export const STATE = 4;
export const OPERAND_COUNT = OPERANDS.length;

/** Index of each loop dimension: the order of LOOP_DIMS. */
export const DIM_INDEX: Record<LoopDim, number> = { T: 0, B: 1, K: 2, C: 3, OY: 4, OX: 5, FY: 6, FX: 7 };

/** Loops a nest may have: 8 leftovers plus the mapped ones. */
const MAX_LOOPS = 64;

/** The layer and hardware data of `evaluateLayerNode`, precomputed once as flat arrays. */
export interface LayerContext {
  layer: ResolvedLayer;
  hardware: ResolvedHardware;
  levelCount: number;
  bufferLevel: number;
  wordBits: Float64Array;
  perPe: Uint8Array;
  /** stores[operand * levelCount + level] is 1 when the level stores the operand. */
  stores: Uint8Array;
  /** parent[operand * levelCount + level]: the next outer level that stores the operand, or -1. */
  parent: Int32Array;
  /** innermost[operand]: the innermost level that stores the operand. */
  innermost: Int32Array;
  /** relevant[operand]: bit d is set when loop dimension d indexes the operand. */
  relevant: Int32Array;
  bits: Float64Array;
  stateful: boolean;
  hasWeights: boolean;
  channelWise: boolean;
  inputCount: number;
  stride: number;
  /** Scratch space reused by every evaluation. */
  scratch: { dim: Int32Array; factor: Float64Array; level: Int32Array; prefix: Float64Array; footprint: Float64Array; extents: Float64Array };
}

export function buildLayerContext(layer: ResolvedLayer, hardware: ResolvedHardware): LayerContext {
  const levelCount = hardware.levels.length;
  const geometry = layerGeometry(layer);
  const stores = new Uint8Array(OPERAND_COUNT * levelCount);
  const parent = new Int32Array(OPERAND_COUNT * levelCount).fill(-1);
  const innermost = new Int32Array(OPERAND_COUNT);
  const relevant = new Int32Array(OPERAND_COUNT);
  const bits = new Float64Array(OPERAND_COUNT);

  for (const operand of OPERANDS) {
    const op = OPERAND_INDEX[operand];
    let previous = -1;
    for (const level of hardware.levels) {
      if (!level.operands.includes(operand)) continue;
      stores[op * levelCount + level.index] = 1;
      parent[op * levelCount + level.index] = previous;
      previous = level.index;
    }
    innermost[op] = previous;
    // A channel-wise layer (pool, add) indexes its input by K, because its C is 1.
    let dims = OPERAND_DIMS[operand];
    if (operand === 'input' && geometry.channelWise) dims = dims.map((dim) => (dim === 'C' ? 'K' : dim));
    for (const dim of dims) relevant[op] |= 1 << DIM_INDEX[dim];
    bits[op] = geometry.bits[operand];
  }

  return {
    layer,
    hardware,
    levelCount,
    bufferLevel: hardware.buffer.index,
    wordBits: Float64Array.from(hardware.levels.map((level) => level.wordBits)),
    perPe: Uint8Array.from(hardware.levels.map((level) => (level.perPe ? 1 : 0))),
    stores,
    parent,
    innermost,
    relevant,
    bits,
    stateful: geometry.stateful,
    hasWeights: geometry.hasWeights,
    channelWise: geometry.channelWise,
    inputCount: geometry.inputCount,
    stride: geometry.stride,
    scratch: {
      dim: new Int32Array(MAX_LOOPS),
      factor: new Float64Array(MAX_LOOPS),
      level: new Int32Array(MAX_LOOPS),
      prefix: new Float64Array(MAX_LOOPS + 1),
      footprint: new Float64Array(LOOP_DIMS.length),
      extents: new Float64Array(LOOP_DIMS.length),
    },
  };
}
