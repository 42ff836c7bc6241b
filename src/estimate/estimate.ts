import { buildSchedule } from '../mapping/schedule';
import { nodeLoopNest } from '../mapping/loop-nest';
import { resolveMapping } from '../mapping/resolve';
import { ResolvedMapping, ScheduleNode } from '../mapping/types';
import { CostResult, LatencyBound } from '../metrics/types';
import { ResolvedHardware } from '../spec/hardware';
import { MappingSpec } from '../spec/mapping-schema';
import { ResolvedLayer, ResolvedNetwork } from '../spec/network';
import { evaluateLayerNode, NodeCounts, READ } from './evaluate-node';
import { nodeLatency } from './latency';
import { buildLayerContext, LayerContext, OPERAND_COUNT as OPERANDS, WEIGHT as WEIGHT_INDEX } from './layer-context';
import { LayerTimestepRecords } from './records';
import { BufferResidency, createNodeTransfers, NodeTransfers } from './residency';
import { resolveSpikeRates, SparsityOption } from './sparsity';

/** Module-local copies: CommonJS loaders turn imported bindings into getter calls on every use. */
const OPERAND_COUNT = OPERANDS;
const WEIGHT = WEIGHT_INDEX;

export interface EstimateOptions {
  /**
   * Input spike rates. On an event-driven array they scale operations, compute cycles and the array's per-cycle weight
   * reads. All other data movement stays dense.
   */
  sparsity?: SparsityOption;
  /** The STEMS authors' assumptions (docs/cost-model.md, "STEMS-compatible mode"). Ignored for a resolved mapping. */
  stemsAssumptions?: boolean;
  /** 'totals' fills only `totals` and leaves `accesses` and `layers` empty, which is faster. Default 'full'. */
  detail?: 'full' | 'totals';
}

function isResolved(mapping: MappingSpec | ResolvedMapping): mapping is ResolvedMapping {
  return mapping.layers instanceof Map;
}

/** Energy of one operation of the layer: an accumulate for 1-bit spikes and for pool and add layers, else a scaled MAC. */
function operationEnergyPj(layer: ResolvedLayer, hardware: ResolvedHardware): number {
  const array = hardware.spec.peArray;
  const channelWise = layer.type === 'maxpool' || layer.type === 'avgpool' || layer.type === 'add';
  if (layer.precision.inputBits === 1 || channelWise) return array.accumulateEnergyPj;
  return (array.macEnergyPj * layer.precision.inputBits) / array.macInputBits;
}

/**
 * Adds `scale` times a node's array weight reads to `target` at the weight read slots of their level and of DRAM,
 * split between them by the bypassed share of the weights when that level is the buffer.
 */
function addArrayWeightReads(target: Float64Array, counts: NodeCounts, levelCount: number, buffer: number, bypassShare: number, scale: number): void {
  const level = counts.arrayWeightLevel;
  const share = level === buffer ? bypassShare : 0;
  target[(WEIGHT * levelCount + level) * 2 + READ] += counts.arrayWeightReadWords * scale * (1 - share);
  target[WEIGHT * levelCount * 2 + READ] += counts.arrayWeightDramReadWords * scale * share;
}

/**
 * Estimates the cost of running a network on a hardware with a mapping, in closed form per node (docs/cost-model.md).
 * The mapping may be a spec (resolved here) or an already resolved mapping.
 */
export function estimate(
  network: ResolvedNetwork,
  hardware: ResolvedHardware,
  mapping: MappingSpec | ResolvedMapping,
  options: EstimateOptions = {},
): CostResult {
  const resolved = isResolved(mapping)
    ? mapping
    : resolveMapping(mapping, network, hardware, mapping.name, { stemsAssumptions: options.stemsAssumptions });
  return estimateSchedule(resolved, buildSchedule(network, resolved), options);
}

/** Estimates a resolved mapping over a schedule built by `buildSchedule`; lets a caller reuse the schedule. */
export function estimateSchedule(mapping: ResolvedMapping, nodes: ScheduleNode[], options: EstimateOptions = {}): CostResult {
  const { network, hardware } = mapping;
  const levelCount = hardware.levels.length;
  const buffer = hardware.buffer.index;
  const timesteps = network.timesteps;
  const rates = resolveSpikeRates(options.sparsity, network);
  const eventDriven = hardware.spec.peArray.eventDriven;
  const neuronUpdateEnergyPj = hardware.spec.peArray.neuronUpdateEnergyPj ?? 0;
  const records = options.detail === 'totals' ? null : new LayerTimestepRecords(network, hardware);

  const contexts = new Map<string, LayerContext>();
  const nestCounts = new Map<LayerContext, Map<number, NodeCounts>>();
  const residency = new BufferResidency(nodes, mapping);
  const transfers: NodeTransfers = createNodeTransfers();
  const nodeWords = new Float64Array(OPERAND_COUNT * levelCount * 2);
  const timestepWords = new Float64Array(OPERAND_COUNT * levelCount * 2);
  const levelBits = new Float64Array(levelCount * 2);
  const energyPerWord = new Float64Array(levelCount * 2);
  hardware.levels.forEach((level) => {
    energyPerWord[level.index * 2] = level.readEnergyPjPerWord;
    energyPerWord[level.index * 2 + 1] = level.writeEnergyPjPerWord;
  });

  let totalCycles = 0;
  let computeEnergyPj = 0;
  let memoryEnergyPj = 0;
  let operations = 0;
  let offChipReadBits = 0;
  let offChipWriteBits = 0;
  const boundCycles = new Map<LatencyBound, number>();

  for (const node of nodes) {
    const layer = node.layer;
    let context = contexts.get(layer.name);
    if (!context) {
      context = buildLayerContext(layer, hardware);
      contexts.set(layer.name, context);
    }
    const stateStartsOnChip = node.chunk === 0 && !mapping.stemsAssumptions;
    // Nodes of a layer differ only in their time chunk length, tile width and first chunk, so few nests repeat.
    let layerCounts = nestCounts.get(context);
    if (!layerCounts) {
      layerCounts = new Map();
      nestCounts.set(context, layerCounts);
    }
    const key = (node.extents.T * 1e6 + node.extents[node.tileAxis]) * 2 + (stateStartsOnChip ? 1 : 0);
    let counts = layerCounts.get(key);
    if (!counts) {
      counts = evaluateLayerNode(context, nodeLoopNest(mapping.layers.get(layer.name)!, node.extents), stateStartsOnChip);
      layerCounts.set(key, counts);
    }
    residency.step(node, transfers);

    // An event-driven array reads weights only on the cycles that do work, so its weight reads follow the spike rate.
    const span = node.timeEnd - node.timeStart;
    let rateSum = 0;
    for (let t = node.timeStart; t < node.timeEnd; t++) rateSum += rates[layer.index * timesteps + t];
    const weightReadScale = eventDriven ? rateSum / span : 1;
    const scalesWeightReads = weightReadScale !== 1 && counts.arrayWeightLevel >= 0;

    // Loop-nest accesses, with the buffer accesses of bypassed tensors moved to DRAM.
    nodeWords.fill(0);
    levelBits.fill(0);
    for (let operand = 0; operand < OPERAND_COUNT; operand++) {
      const share = transfers.bypassShare[operand];
      for (let level = 1; level < levelCount; level++) {
        for (let direction = 0; direction < 2; direction++) {
          const index = (operand * levelCount + level) * 2 + direction;
          let words = counts.words[index];
          if (level === buffer && share > 0) {
            const dramIndex = operand * levelCount * 2 + direction;
            nodeWords[dramIndex] += counts.words[dramIndex] * share;
            words *= 1 - share;
          }
          nodeWords[index] += words;
        }
      }
    }
    if (scalesWeightReads) addArrayWeightReads(nodeWords, counts, levelCount, buffer, transfers.bypassShare[WEIGHT], weightReadScale - 1);
    for (let operand = 0; operand < OPERAND_COUNT; operand++) {
      for (let level = 0; level < levelCount; level++) {
        const wordBits = hardware.levels[level].wordBits;
        levelBits[level * 2] += nodeWords[(operand * levelCount + level) * 2] * wordBits;
        levelBits[level * 2 + 1] += nodeWords[(operand * levelCount + level) * 2 + 1] * wordBits;
      }
    }

    // Fetches and write-backs between DRAM and the buffer.
    const offChip = { dramRead: 0, dramWrite: 0, bufferRead: 0, bufferWrite: 0 };
    for (let operand = 0; operand < OPERAND_COUNT; operand++) {
      nodeWords[operand * levelCount * 2] += transfers.dramReadWords[operand];
      nodeWords[operand * levelCount * 2 + 1] += transfers.dramWriteWords[operand];
      nodeWords[(operand * levelCount + buffer) * 2] += transfers.bufferReadWords[operand];
      nodeWords[(operand * levelCount + buffer) * 2 + 1] += transfers.bufferWriteWords[operand];
      offChip.dramRead += transfers.dramReadWords[operand] * hardware.dram.wordBits;
      offChip.dramWrite += transfers.dramWriteWords[operand] * hardware.dram.wordBits;
      offChip.bufferRead += transfers.bufferReadWords[operand] * hardware.buffer.wordBits;
      offChip.bufferWrite += transfers.bufferWriteWords[operand] * hardware.buffer.wordBits;
    }

    let computeCycles = 0;
    for (let t = node.timeStart; t < node.timeEnd; t++) {
      computeCycles += (counts.computeCycles / span) * (eventDriven ? rates[layer.index * timesteps + t] : 1);
    }
    const latency = nodeLatency(hardware, computeCycles, levelBits, offChip);

    let nodeMemoryEnergyPj = 0;
    for (let operand = 0; operand < OPERAND_COUNT; operand++) {
      for (let slot = 0; slot < levelCount * 2; slot++) {
        nodeMemoryEnergyPj += nodeWords[operand * levelCount * 2 + slot] * energyPerWord[slot];
      }
    }
    for (let operand = 0; operand < OPERAND_COUNT; operand++) {
      offChipReadBits += nodeWords[operand * levelCount * 2] * hardware.dram.wordBits;
      offChipWriteBits += nodeWords[operand * levelCount * 2 + 1] * hardware.dram.wordBits;
    }
    memoryEnergyPj += nodeMemoryEnergyPj;
    totalCycles += latency.cycles;
    boundCycles.set(latency.bound, (boundCycles.get(latency.bound) ?? 0) + latency.cycles);

    const energyPerOperation = operationEnergyPj(layer, hardware);
    for (let t = node.timeStart; t < node.timeEnd; t++) {
      const spikeRate = rates[layer.index * timesteps + t];
      const denseOperations = counts.denseOperations / span;
      const timestepOperations = eventDriven ? denseOperations * spikeRate : denseOperations;
      const timestepComputeEnergyPj = timestepOperations * energyPerOperation + (counts.neuronUpdates / span) * neuronUpdateEnergyPj;
      operations += timestepOperations;
      computeEnergyPj += timestepComputeEnergyPj;
      if (!records) continue;
      const timestepComputeCycles = (counts.computeCycles / span) * (eventDriven ? spikeRate : 1);
      const overlapped = latency.overlappedBound === 'compute' ? timestepComputeCycles : latency.overlappedCycles / span;
      records.add(layer.index, t, nodeWords, 1 / span, {
        operations: timestepOperations,
        denseOperations,
        computeEnergyPj: timestepComputeEnergyPj,
        cycles: latency.offChipTransferCycles / span + overlapped,
        spikeRate,
        bound: latency.bound,
      });
      // nodeWords contains the weight reads at the node's mean rate, so move this timestep's share to its own rate.
      if (scalesWeightReads && span > 1) {
        timestepWords.fill(0);
        addArrayWeightReads(timestepWords, counts, levelCount, buffer, transfers.bypassShare[WEIGHT], (spikeRate - weightReadScale) / span);
        records.addWords(layer.index, t, timestepWords, 1);
      }
    }
  }

  let bound: LatencyBound = 'compute';
  for (const [candidate, cycles] of boundCycles) {
    if (cycles > (boundCycles.get(bound) ?? 0)) bound = candidate;
  }
  return {
    source: 'analytical',
    network: network.name,
    hardware: hardware.name,
    mapping: mapping.name,
    timesteps,
    accesses: records ? records.accessRecords() : [],
    layers: records ? records.layerTimestepCosts() : [],
    totals: {
      energyPj: computeEnergyPj + memoryEnergyPj,
      computeEnergyPj,
      memoryEnergyPj,
      cycles: totalCycles,
      seconds: totalCycles / hardware.clockHz,
      offChipBits: offChipReadBits + offChipWriteBits,
      offChipReadBits,
      offChipWriteBits,
      operations,
      bound,
    },
  };
}
