import { LoopNest } from '../mapping/types';
import * as indices from './layer-context';
import { LayerContext } from './layer-context';

// Module-local copies: CommonJS loaders (tsx, SWC) turn imported bindings into getter calls, which dominated the
// profile of this hot path.
const WEIGHT = indices.WEIGHT;
const INPUT = indices.INPUT;
const OUTPUT = indices.OUTPUT;
const PARTIAL_SUM = indices.PARTIAL_SUM;
const STATE = indices.STATE;
const OPERAND_COUNT = indices.OPERAND_COUNT;

export const READ = 0;
export const WRITE = 1;

/** Accesses and work of one node, from its loop nest alone (docs/cost-model.md, "Inside a node"). */
export interface NodeCounts {
  /**
   * Words accessed, at words[(operand * levelCount + level) * 2 + direction] (direction READ or WRITE). The slots of
   * level 0 (DRAM) hold the buffer's accesses rounded to DRAM words: what they become when the tensor is bypassed.
   */
  words: Float64Array;
  /** Dense compute cycles: the product of the temporal loop factors. */
  computeCycles: number;
  /** Operations of the dense loop nest: the product of the node's extents. */
  denseOperations: number;
  /** Neuron updates: one per output neuron and timestep of a spiking layer. */
  neuronUpdates: number;
  /**
   * The PE array's dense per-cycle reads of `weight` from `arrayWeightLevel`, in words, when no per-PE level stores
   * weights (else 0). They are included in `words`. An event-driven array makes only the share of them that its input
   * spike rate gives (docs/cost-model.md, "Operands without a register"), and estimate.ts applies that rate.
   */
  arrayWeightReadWords: number;
  /** The same reads rounded to DRAM words when `arrayWeightLevel` is the buffer (for a bypassed share), else 0. */
  arrayWeightDramReadWords: number;
  /** The level that `arrayWeightReadWords` reads, or -1 when there are none. */
  arrayWeightLevel: number;
}

export function createNodeCounts(levelCount: number): NodeCounts {
  return {
    words: new Float64Array(OPERAND_COUNT * levelCount * 2),
    computeCycles: 0,
    denseOperations: 0,
    neuronUpdates: 0,
    arrayWeightReadWords: 0,
    arrayWeightDramReadWords: 0,
    arrayWeightLevel: -1,
  };
}

/** Elements of an operand's tile over a footprint indexed T, B, K, C, OY, OX, FY, FX. */
function tileElements(context: LayerContext, operand: number, f: Float64Array): number {
  switch (operand) {
    case WEIGHT:
      return context.hasWeights ? f[2] * f[3] * f[6] * f[7] : 0;
    case INPUT: {
      const rows = (f[4] - 1) * context.stride + f[6];
      const columns = (f[5] - 1) * context.stride + f[7];
      return f[0] * f[1] * (context.channelWise ? f[2] : f[3]) * rows * columns * context.inputCount;
    }
    case STATE:
      return f[1] * f[2] * f[4] * f[5];
    default:
      return f[0] * f[1] * f[2] * f[4] * f[5];
  }
}

/** Adds `count` fills of `bits` each: reads of `outer` and writes of `inner` (-1: the PE itself, not counted). */
function addFill(context: LayerContext, words: Float64Array, operand: number, outer: number, inner: number, count: number, bits: number): void {
  if (count <= 0 || bits <= 0) return;
  const levelCount = context.levelCount;
  words[(operand * levelCount + outer) * 2] += count * Math.ceil(bits / context.wordBits[outer]);
  if (outer === context.bufferLevel) words[operand * levelCount * 2] += count * Math.ceil(bits / context.wordBits[0]);
  if (inner >= 0) words[(operand * levelCount + inner) * 2 + 1] += count * Math.ceil(bits / context.wordBits[inner]);
}

/** Adds `count` write-backs of `bits` each: reads of `inner` (-1: the PE itself, not counted) and writes of `outer`. */
function addWriteBack(context: LayerContext, words: Float64Array, operand: number, inner: number, outer: number, count: number, bits: number): void {
  if (count <= 0 || bits <= 0) return;
  const levelCount = context.levelCount;
  if (inner >= 0) words[(operand * levelCount + inner) * 2] += count * Math.ceil(bits / context.wordBits[inner]);
  words[(operand * levelCount + outer) * 2 + 1] += count * Math.ceil(bits / context.wordBits[outer]);
  if (outer === context.bufferLevel) words[operand * levelCount * 2 + 1] += count * Math.ceil(bits / context.wordBits[0]);
}

/**
 * Fills of an operand into a level whose loops above are loops[0, above): the product of their factors, leaving out
 * the innermost run of loops that are irrelevant to the operand.
 */
function fillCount(context: LayerContext, operand: number, above: number): number {
  const mask = context.relevant[operand];
  const dims = context.scratch.dim;
  let last = above - 1;
  while (last >= 0 && (mask & (1 << dims[last])) === 0) last--;
  return context.scratch.prefix[last + 1];
}

/** Fills and write-backs of an accumulator (state or partial sum) at `level` (-1: held in the PE). */
function addAccumulator(
  context: LayerContext,
  words: Float64Array,
  operand: number,
  level: number,
  parent: number,
  above: number,
  footprint: Float64Array,
  nodeElements: number,
  stateStartsOnChip: boolean,
): void {
  const fills = fillCount(context, operand, above);
  const tile = tileElements(context, operand, footprint);
  const distinctTiles = nodeElements / tile;
  const bits = context.bits;
  if (operand === PARTIAL_SUM) {
    addFill(context, words, PARTIAL_SUM, parent, level, fills - distinctTiles, tile * bits[PARTIAL_SUM]);
    addWriteBack(context, words, PARTIAL_SUM, level, parent, fills - distinctTiles, tile * bits[PARTIAL_SUM]);
    // The last write-back of each tile is the final value, written as output.
    addWriteBack(context, words, OUTPUT, level, parent, distinctTiles, tile * bits[OUTPUT]);
  } else {
    const firstTouches = stateStartsOnChip ? distinctTiles : 0;
    addFill(context, words, STATE, parent, level, fills - firstTouches, tile * bits[STATE]);
    addWriteBack(context, words, STATE, level, parent, fills, tile * bits[STATE]);
  }
}

/** Spike transfers of a stateful layer at `level` (-1: written by the PE): one per output tile, of outputBits each. */
function addSpikes(context: LayerContext, words: Float64Array, level: number, parent: number, footprint: Float64Array, nodeOutputs: number): void {
  const tile = tileElements(context, OUTPUT, footprint);
  addWriteBack(context, words, OUTPUT, level, parent, nodeOutputs / tile, tile * context.bits[OUTPUT]);
}

/**
 * Counts the accesses of one node per operand, memory level and direction in closed form, from its loop nest
 * (docs/cost-model.md, "Inside a node"). Buffer accesses are also given in DRAM words for a bypassed tensor. DRAM
 * traffic between nodes is not counted here (see residency.ts).
 * `stateStartsOnChip` is true for a node in the layer's first time chunk, outside STEMS-compatible mode.
 * Pure apart from `out` and the context's scratch space, and allocation-free when `out` is given.
 */
export function evaluateLayerNode(context: LayerContext, nest: LoopNest, stateStartsOnChip: boolean, out?: NodeCounts): NodeCounts {
  const counts = out ?? createNodeCounts(context.levelCount);
  const words = counts.words;
  words.fill(0);
  const levelCount = context.levelCount;
  const { dim, factor, level, prefix, footprint } = context.scratch;

  const loops = nest.loops;
  const loopCount = loops.length;
  prefix[0] = 1;
  for (let i = 0; i < loopCount; i++) {
    const loop = loops[i];
    dim[i] = loop.dimIndex;
    factor[i] = loop.factor;
    level[i] = loop.level;
    prefix[i + 1] = prefix[i] * loop.factor;
  }
  const cycles = prefix[loopCount];

  const spatial = nest.spatial;
  footprint[0] = spatial.T;
  footprint[1] = spatial.B;
  footprint[2] = spatial.K;
  footprint[3] = spatial.C;
  footprint[4] = spatial.OY;
  footprint[5] = spatial.OX;
  footprint[6] = spatial.FY;
  footprint[7] = spatial.FX;

  const extents = nest.extents;
  const extentArray = context.scratch.extents;
  extentArray[0] = extents.T;
  extentArray[1] = extents.B;
  extentArray[2] = extents.K;
  extentArray[3] = extents.C;
  extentArray[4] = extents.OY;
  extentArray[5] = extents.OX;
  extentArray[6] = extents.FY;
  extentArray[7] = extents.FX;
  const nodeOutputs = tileElements(context, OUTPUT, extentArray);
  const accumulator = context.stateful ? STATE : PARTIAL_SUM;
  const nodeAccumulators = tileElements(context, accumulator, extentArray);
  const perPe = context.perPe;
  const innermost = context.innermost;

  // The PE array: operands without a register are read every cycle; accumulators without one are held in the PE.
  counts.arrayWeightReadWords = 0;
  counts.arrayWeightDramReadWords = 0;
  counts.arrayWeightLevel = -1;
  for (let operand = WEIGHT; operand <= INPUT; operand++) {
    if (operand === WEIGHT && !context.hasWeights) continue;
    const inner = innermost[operand];
    if (perPe[inner] === 1) continue;
    const spatialBits = tileElements(context, operand, footprint) * context.bits[operand];
    const readWords = cycles * Math.ceil(spatialBits / context.wordBits[inner]);
    const dramReadWords = inner === context.bufferLevel ? cycles * Math.ceil(spatialBits / context.wordBits[0]) : 0;
    words[(operand * levelCount + inner) * 2] += readWords;
    words[operand * levelCount * 2] += dramReadWords;
    if (operand === WEIGHT) {
      counts.arrayWeightReadWords = readWords;
      counts.arrayWeightDramReadWords = dramReadWords;
      counts.arrayWeightLevel = inner;
    }
  }
  if (perPe[innermost[accumulator]] === 0) {
    addAccumulator(context, words, accumulator, -1, innermost[accumulator], loopCount, footprint, nodeAccumulators, stateStartsOnChip);
  }
  if (context.stateful && perPe[innermost[OUTPUT]] === 0) {
    addSpikes(context, words, -1, innermost[OUTPUT], footprint, nodeOutputs);
  }

  // Levels inside the buffer, innermost first; `above` counts the loops that sit above the current level.
  let above = loopCount;
  for (let current = levelCount - 1; current > context.bufferLevel; current--) {
    while (above > 0 && level[above - 1] >= current) {
      above--;
      footprint[dim[above]] *= factor[above];
    }
    for (let operand = 0; operand < OPERAND_COUNT; operand++) {
      if (context.stores[operand * levelCount + current] === 0) continue;
      const parent = context.parent[operand * levelCount + current];
      if (operand === WEIGHT || operand === INPUT) {
        if (operand === WEIGHT && !context.hasWeights) continue;
        const bits = tileElements(context, operand, footprint) * context.bits[operand];
        addFill(context, words, operand, parent, current, fillCount(context, operand, above), bits);
      } else if (operand === accumulator) {
        addAccumulator(context, words, operand, current, parent, above, footprint, nodeAccumulators, stateStartsOnChip);
      } else if (operand === OUTPUT && context.stateful) {
        addSpikes(context, words, current, parent, footprint, nodeOutputs);
      }
    }
  }

  counts.computeCycles = cycles;
  counts.denseOperations = extentArray[0] * extentArray[1] * extentArray[2] * extentArray[3] * extentArray[4] * extentArray[5] * extentArray[6] * extentArray[7];
  counts.neuronUpdates = context.layer.neuron.model === 'none' ? 0 : nodeOutputs;
  return counts;
}
