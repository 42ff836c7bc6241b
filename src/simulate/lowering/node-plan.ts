import { LoopDim, Operand } from '../../spec/dims';
import { ResolvedHardware, ResolvedLevel } from '../../spec/hardware';
import { ResolvedLayer } from '../../spec/network';
import {
  LayerGeometry,
  layerGeometry,
  levelFootprint,
  LoopNest,
  nodeLoopNest,
  operandTileElements,
  ResolvedLayerMapping,
  ScheduleNode,
} from '../../mapping';
import { BufferTensorRole, OperandTracker, relevantDims, TrackerRole } from './operand-tracker';

/** The PE array reading an operand that no per-PE level stores from its innermost level, every compute cycle. */
export interface PeRead {
  operand: Operand;
  level: ResolvedLevel;
  bufferTensor: BufferTensorRole;
  /** Bits of one spatial footprint, read (multicast) once per compute cycle, rounded up to whole words of the level read. */
  bitsPerCycle: number;
}

/**
 * A node lowered for the simulator. Its loop nest is split into step loops (above the innermost
 * SRAM level, one step per iteration) and inner loops (the compute of one step). Its operand
 * trackers are what the walker counts fills, write-backs and spike transfers for.
 */
export interface NodePlan {
  node: ScheduleNode;
  layer: ResolvedLayer;
  geometry: LayerGeometry;
  nest: LoopNest;
  /** Per loop position, outermost first: dimension, factor, and the step of the dimension's index per iteration. */
  loopDims: LoopDim[];
  factors: Int32Array;
  dimensionStrides: Float64Array;
  stepLoopCount: number;
  /** Loops at and after `stepLoopCount` that sit above the deepest inner tracker; the walker iterates them in each step. */
  innerWalkEnd: number;
  stepCount: number;
  /** Dense compute cycles of one step: the product of the inner loop factors. */
  cyclesPerStep: number;
  /** Spatial extent of each dimension inside one step (spatial factor times the inner loops). */
  stepExtent: Record<LoopDim, number>;
  activePes: number;
  trackers: OperandTracker[];
  peReads: PeRead[];
  /** Neurons updated when a spike tile retires (the output tile of one timestep at the innermost output level). */
  neuronsPerUpdate: number;
  /** true when the layer has a spiking neuron, whose update the neuron unit executes. */
  spiking: boolean;
}

/** Largest number of loops the walker's bit masks hold. */
const MAX_LOOPS = 30;

/** Index of the innermost on-chip level that is not per PE: the step loops are the loops above it. */
export function stepBoundaryLevel(hardware: ResolvedHardware): number {
  let boundary = hardware.buffer.index + 1;
  for (const level of hardware.levels) {
    if (level.index > hardware.buffer.index && !level.perPe) boundary = level.index;
  }
  return boundary;
}

function accumulatorOf(layer: ResolvedLayer): Operand {
  return layer.hasState ? 'state' : 'partial_sum';
}

function bufferTensorOf(operand: Operand): BufferTensorRole {
  switch (operand) {
    case 'weight':
      return 'weights';
    case 'input':
      return 'inputs';
    case 'state':
      return 'state';
    default:
      return 'output';
  }
}

interface TrackerRequest {
  operand: Operand;
  role: TrackerRole;
  level: ResolvedLevel;
  parent: ResolvedLevel;
}

/** Lists the trackers a layer needs: fills of weight and input below the buffer, its accumulator, and a stateful layer's spikes. */
function trackerRequests(layer: ResolvedLayer, hardware: ResolvedHardware): TrackerRequest[] {
  const requests: TrackerRequest[] = [];
  const bufferIndex = hardware.buffer.index;
  const fillOperands: Operand[] = layer.hasWeights ? ['weight', 'input'] : ['input'];
  for (const operand of fillOperands) {
    const chain = hardware.chains[operand];
    for (let position = 1; position < chain.length; position++) {
      if (chain[position].index <= bufferIndex) continue;
      requests.push({ operand, role: TrackerRole.Fill, level: chain[position], parent: chain[position - 1] });
    }
  }

  // NOTE: accumulators are tracked at their innermost level only. An accumulator level between it
  // and the buffer gets no fills here, and where the innermost level is an SRAM rather than per-PE
  // registers the analytical model holds the accumulator in the PE instead; counts differ in both cases.
  const accumulator = accumulatorOf(layer);
  const accumulatorChain = hardware.chains[accumulator];
  const innermostAccumulator = accumulatorChain[accumulatorChain.length - 1];
  if (innermostAccumulator.index > bufferIndex) {
    requests.push({
      operand: accumulator,
      role: TrackerRole.Accumulator,
      level: innermostAccumulator,
      parent: accumulatorChain[accumulatorChain.length - 2],
    });
  }
  if (layer.hasState) {
    const outputChain = hardware.chains.output;
    const innermostOutput = outputChain[outputChain.length - 1];
    if (innermostOutput.index > bufferIndex) {
      requests.push({
        operand: 'output',
        role: TrackerRole.SpikeOutput,
        level: innermostOutput,
        parent: outputChain[outputChain.length - 2],
      });
    }
  }
  return requests;
}

/** Lowers one node of the schedule: its loop nest, trackers and per-cycle reads. */
export function planNode(
  node: ScheduleNode,
  layerMapping: ResolvedLayerMapping,
  hardware: ResolvedHardware,
  stemsAssumptions: boolean,
): NodePlan {
  const layer = node.layer;
  const nest = nodeLoopNest(layerMapping, node.extents);
  const geometry = layerGeometry(layer);
  const loops = nest.loops;
  if (loops.length > MAX_LOOPS) {
    throw new Error(`layer '${layer.name}' has ${loops.length} temporal loops; the simulator handles at most ${MAX_LOOPS}, so merge loops of the same dimension`);
  }

  const loopCount = loops.length;
  const loopDims = loops.map((loop) => loop.dim);
  const factors = Int32Array.from(loops.map((loop) => loop.factor));
  const dimensionStrides = new Float64Array(loopCount);
  for (let position = 0; position < loopCount; position++) {
    let stride = nest.spatial[loopDims[position]];
    for (let inner = position + 1; inner < loopCount; inner++) {
      if (loopDims[inner] === loopDims[position]) stride *= factors[inner];
    }
    dimensionStrides[position] = stride;
  }

  const boundary = stepBoundaryLevel(hardware);
  let stepLoopCount = 0;
  while (stepLoopCount < loopCount && loops[stepLoopCount].level < boundary) stepLoopCount++;

  let stepCount = 1;
  for (let position = 0; position < stepLoopCount; position++) stepCount *= factors[position];
  let cyclesPerStep = 1;
  const stepExtent = { ...nest.spatial };
  for (let position = stepLoopCount; position < loopCount; position++) {
    cyclesPerStep *= factors[position];
    stepExtent[loopDims[position]] *= factors[position];
  }
  let activePes = 1;
  for (const dim of Object.keys(nest.spatial) as LoopDim[]) activePes *= nest.spatial[dim];

  const trackers: OperandTracker[] = [];
  let deepestInnerLevel = -1;
  for (const request of trackerRequests(layer, hardware)) {
    const tracker = makeTracker(request, nest, geometry, stepLoopCount, stemsAssumptions, node.timeStart === 0);
    trackers.push(tracker);
    if (!tracker.atStepLevel) deepestInnerLevel = Math.max(deepestInnerLevel, request.level.index);
  }
  let innerWalkEnd = stepLoopCount;
  while (innerWalkEnd < loopCount && loops[innerWalkEnd].level < deepestInnerLevel) innerWalkEnd++;

  const spatialFootprint = levelFootprint({ ...nest, loops: [] }, 0, false);
  const peReads: PeRead[] = [];
  const readOperands: Operand[] = layer.hasWeights ? ['weight', 'input'] : ['input'];
  for (const operand of readOperands) {
    const chain = hardware.chains[operand];
    if (chain.some((level) => level.perPe)) continue;
    const innermost = chain[chain.length - 1];
    const bits = operandTileElements(operand, spatialFootprint, geometry) * geometry.bits[operand];
    peReads.push({ operand, level: innermost, bufferTensor: bufferTensorOf(operand), bitsPerCycle: bits });
  }

  const spikeTracker = trackers.find((tracker) => tracker.role === TrackerRole.SpikeOutput);
  const accumulatorTracker = trackers.find((tracker) => tracker.role === TrackerRole.Accumulator);
  const updateTracker = spikeTracker ?? accumulatorTracker;
  const neuronsPerUpdate = updateTracker ? updateTracker.finalTileBits / geometry.bits.output : 0;

  return {
    node,
    layer,
    geometry,
    nest,
    loopDims,
    factors,
    dimensionStrides,
    stepLoopCount,
    innerWalkEnd,
    stepCount,
    cyclesPerStep,
    stepExtent,
    activePes,
    trackers,
    peReads,
    neuronsPerUpdate,
    spiking: layer.neuron.model !== 'none',
  };
}

function makeTracker(
  request: TrackerRequest,
  nest: LoopNest,
  geometry: LayerGeometry,
  stepLoopCount: number,
  stemsAssumptions: boolean,
  firstTimeChunk: boolean,
): OperandTracker {
  const { operand, role, level, parent } = request;
  const relevant = relevantDims(operand, geometry.channelWise);
  const footprint = levelFootprint(nest, level.index, false);
  const elements = operandTileElements(operand, footprint, geometry);
  const tileBits = elements * geometry.bits[operand];
  // A stateless layer's last write-back of a tile is its output, at outputBits.
  const finalTileBits = operand === 'partial_sum' ? operandTileElements('output', footprint, geometry) * geometry.bits.output : tileBits;

  let lastRelevantPosition = -1;
  let irrelevantMask = 0;
  let atStepLevel = true;
  nest.loops.forEach((loop, position) => {
    if (loop.level >= level.index) return;
    if (position >= stepLoopCount) atStepLevel = false;
    if (relevant.includes(loop.dim)) lastRelevantPosition = position;
    else irrelevantMask |= 1 << position;
  });

  return {
    operand,
    role,
    level,
    parent,
    bufferTensor: bufferTensorOf(operand),
    tileBits,
    finalTileBits,
    lastRelevantPosition,
    irrelevantMask,
    atStepLevel,
    slots: level.doubleBuffered ? 2 : 1,
    // A state tile starts from initialState only in the layer's first time chunk, and never in STEMS-compatible mode.
    firstTouchSkipsRead: role === TrackerRole.Accumulator && (operand === 'partial_sum' || (firstTimeChunk && !stemsAssumptions)),
  };
}

/**
 * Plans nodes, reusing the plan of an earlier node of the same layer with the same extents and
 * the same first-chunk status (fused and time-chunked layers repeat a few shapes many times).
 */
export class NodePlanner {
  private readonly plans = new Map<string, NodePlan>();

  constructor(
    private readonly layerMappings: Map<string, ResolvedLayerMapping>,
    private readonly hardware: ResolvedHardware,
    private readonly stemsAssumptions: boolean,
  ) {}

  plan(node: ScheduleNode): NodePlan {
    const e = node.extents;
    const key = `${node.layer.name}|${e.T}|${e.B}|${e.K}|${e.C}|${e.OY}|${e.OX}|${e.FY}|${e.FX}|${node.timeStart === 0}`;
    let plan = this.plans.get(key);
    if (!plan) {
      plan = planNode(node, this.layerMappings.get(node.layer.name)!, this.hardware, this.stemsAssumptions);
      this.plans.set(key, plan);
    }
    return plan.node === node ? plan : { ...plan, node };
  }
}
