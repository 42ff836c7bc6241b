import { ResolvedMapping, ScheduleNode } from '../../mapping';
import { Operand } from '../../spec/dims';
import { ResolvedLayer, stateCount, weightCount } from '../../spec/network';
import { BufferTensor, BufferTensorKind, BypassShares, NodeResidency, TensorTransfer } from './buffer-tensor';

/** Among tensors of equal priority, layer, time and tile, the lower kind is evicted first. */
const KIND_ORDER: Record<BufferTensorKind, number> = { weights: 0, 'network-input': 1, output: 2, state: 3 };

/**
 * Keeps whole tensors in the buffer between nodes by the rules of docs/cost-model.md ("Across
 * nodes"): bypass the largest needed tensors while the working set does not fit, evict the
 * lowest-priority tensors the node does not need, fetch what is missing, and free what no later
 * node reads. It decides which whole-tensor transfers happen; the simulator executes and counts them.
 */
export class BufferResidency {
  private readonly tensors = new Map<string, BufferTensor>();
  private readonly resident = new Set<BufferTensor>();
  private occupiedBits = 0;
  peakOccupiedBits = 0;
  private nextDramAddress = 0;
  private readonly nodesOfLayer = new Map<string, ScheduleNode[]>();
  private readonly inputReaders = new Map<number, number[]>();

  constructor(
    private readonly mapping: ResolvedMapping,
    private readonly nodes: ScheduleNode[],
    readonly capacityBits: number,
    private readonly dramWordBits: number,
  ) {
    for (const node of nodes) {
      const list = this.nodesOfLayer.get(node.layer.name) ?? [];
      list.push(node);
      this.nodesOfLayer.set(node.layer.name, list);
      for (const timestep of node.networkInputTimesteps) {
        const readers = this.inputReaders.get(timestep) ?? [];
        readers.push(node.id);
        this.inputReaders.set(timestep, readers);
      }
    }
  }

  /** Decides the bypasses, evictions and fetches before `node` runs, and makes its tensors resident. */
  prepare(node: ScheduleNode): NodeResidency {
    const layer = node.layer;
    const prologue: TensorTransfer[] = [];
    const weights = layer.hasWeights ? this.weightsOf(layer) : null;
    const inputs = node.producers.map((producer) => this.outputOf(this.nodes[producer]));
    for (const timestep of node.networkInputTimesteps) inputs.push(this.networkInputAt(timestep));
    const output = this.outputOf(node);
    const state = layer.hasState ? this.stateOf(node) : null;
    const needed: BufferTensor[] = [...(weights ? [weights] : []), ...inputs, output, ...(state ? [state] : [])];

    // Rule 1: a state kept in DRAM always bypasses; then the largest tensors bypass, one at a time, until the rest fit.
    const bypassed = new Set<BufferTensor>();
    let keptBits = needed.reduce((sum, tensor) => sum + tensor.bits, 0);
    if (state && this.mapping.layers.get(layer.name)!.stateLevel !== this.mapping.hardware.buffer.index) {
      bypassed.add(state);
      keptBits -= state.bits;
    }
    while (keptBits > this.capacityBits) {
      let largest: BufferTensor | undefined;
      for (const tensor of needed) {
        if (!bypassed.has(tensor) && (largest === undefined || tensor.bits > largest.bits)) largest = tensor;
      }
      bypassed.add(largest!);
      keptBits -= largest!.bits;
    }
    for (const tensor of bypassed) {
      if (!tensor.resident) continue;
      if (tensor.dirty) prologue.push(this.writeBack(tensor));
      this.drop(tensor);
    }

    // Rule 3: evict what the node does not need, lowest priority first, until the missing tensors fit.
    const neededSet = new Set(needed);
    let missingBits = 0;
    for (const tensor of needed) if (!tensor.resident && !bypassed.has(tensor)) missingBits += tensor.bits;
    if (this.occupiedBits + missingBits > this.capacityBits) {
      const candidates = [...this.resident].filter((tensor) => !neededSet.has(tensor));
      candidates.sort((a, b) => this.evictionOrder(a, b, node.id));
      for (const tensor of candidates) {
        if (this.occupiedBits + missingBits <= this.capacityBits) break;
        if (tensor.dirty && this.futureReaders(tensor, node.id) > 0) prologue.push(this.writeBack(tensor));
        this.drop(tensor);
      }
    }

    // Rule 2: fetch the missing tensors, except a new output tile and a state that starts from initialState.
    for (const tensor of needed) {
      if (tensor.resident || bypassed.has(tensor)) continue;
      const startsOnChip = tensor === output || (tensor === state && node.timeStart === 0 && !this.mapping.stemsAssumptions);
      if (!startsOnChip) prologue.push({ direction: 'fetch', tensor, operand: fetchOperand(tensor) });
      tensor.dirty = tensor === output;
      this.admit(tensor);
    }
    if (state && !bypassed.has(state)) state.dirty = true;

    return { prologue, bypassShares: bypassShares(weights, inputs, output, state, bypassed) };
  }

  /** Frees what no later node reads once `node` has run (rule 4); returns the write-backs that freeing needs. */
  finish(node: ScheduleNode): TensorTransfer[] {
    const epilogue: TensorTransfer[] = [];
    const layer = node.layer;
    const needed: BufferTensor[] = [];
    if (layer.hasWeights) needed.push(this.weightsOf(layer));
    for (const producer of node.producers) needed.push(this.outputOf(this.nodes[producer]));
    for (const timestep of node.networkInputTimesteps) needed.push(this.networkInputAt(timestep));
    const output = this.outputOf(node);
    needed.push(output);
    if (layer.hasState) needed.push(this.stateOf(node));

    for (const tensor of needed) {
      while (tensor.nextReader < tensor.readers.length && tensor.readers[tensor.nextReader] <= node.id) tensor.nextReader++;
    }
    for (const tensor of needed) {
      if (tensor.nextReader < tensor.readers.length || !tensor.resident) continue;
      // Outputs that no node reads are the network's results; STEMS-compatible mode also returns the final state.
      const writtenAtEnd = tensor === output || (tensor.kind === 'state' && this.mapping.stemsAssumptions);
      if (writtenAtEnd && tensor.dirty) epilogue.push(this.writeBack(tensor));
      this.drop(tensor);
    }
    return epilogue;
  }

  /** Number of nodes after `nodeId` that read the tensor: its priority. */
  private futureReaders(tensor: BufferTensor, nodeId: number): number {
    let first = tensor.nextReader;
    while (first < tensor.readers.length && tensor.readers[first] <= nodeId) first++;
    return tensor.readers.length - first;
  }

  /** Lowest priority first; ties go to the later layer, then the later time, the later tile, then KIND_ORDER. */
  private evictionOrder(a: BufferTensor, b: BufferTensor, nodeId: number): number {
    const priorityA = this.futureReaders(a, nodeId);
    const priorityB = this.futureReaders(b, nodeId);
    if (priorityA !== priorityB) return priorityA - priorityB;
    if (a.layerIndex !== b.layerIndex) return b.layerIndex - a.layerIndex;
    if (a.timeKey !== b.timeKey) return b.timeKey - a.timeKey;
    if (a.tile !== b.tile) return b.tile - a.tile;
    return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  }

  private writeBack(tensor: BufferTensor): TensorTransfer {
    tensor.dirty = false;
    return { direction: 'write-back', tensor, operand: tensor.kind === 'state' ? 'state' : 'output' };
  }

  private admit(tensor: BufferTensor): void {
    tensor.resident = true;
    this.resident.add(tensor);
    this.occupiedBits += tensor.bits;
    if (this.occupiedBits > this.peakOccupiedBits) this.peakOccupiedBits = this.occupiedBits;
  }

  private drop(tensor: BufferTensor): void {
    tensor.resident = false;
    this.resident.delete(tensor);
    this.occupiedBits -= tensor.bits;
  }

  private tensor(key: string, make: () => Pick<BufferTensor, 'kind' | 'layerIndex' | 'timeKey' | 'tile' | 'bits' | 'readers'>): BufferTensor {
    let tensor = this.tensors.get(key);
    if (!tensor) {
      const fields = make();
      tensor = { key, ...fields, nextReader: 0, resident: false, dirty: false, dramAddress: this.nextDramAddress };
      this.nextDramAddress += Math.ceil(fields.bits / this.dramWordBits);
      this.tensors.set(key, tensor);
    }
    return tensor;
  }

  private weightsOf(layer: ResolvedLayer): BufferTensor {
    return this.tensor(`weights:${layer.name}`, () => ({
      kind: 'weights',
      layerIndex: layer.index,
      timeKey: 0,
      tile: 0,
      bits: weightCount(layer) * layer.precision.weightBits,
      readers: this.nodesOfLayer.get(layer.name)!.map((node) => node.id),
    }));
  }

  private outputOf(node: ScheduleNode): BufferTensor {
    return this.tensor(`output:${node.id}`, () => {
      const e = node.extents;
      return {
        kind: 'output',
        layerIndex: node.layer.index,
        timeKey: node.timeStart,
        tile: node.tile,
        bits: e.T * e.B * e.K * e.OY * e.OX * node.layer.precision.outputBits,
        readers: [...node.consumers],
      };
    });
  }

  private stateOf(node: ScheduleNode): BufferTensor {
    const layer = node.layer;
    return this.tensor(`state:${layer.name}:${node.tile}`, () => {
      const e = node.extents;
      return {
        kind: 'state',
        layerIndex: layer.index,
        timeKey: 0,
        tile: node.tile,
        bits: (stateCount(layer) / (layer.dims.OY * layer.dims.OX)) * e.OY * e.OX * layer.precision.stateBits,
        readers: this.nodesOfLayer.get(layer.name)!.filter((other) => other.tile === node.tile).map((other) => other.id),
      };
    });
  }

  private networkInputAt(timestep: number): BufferTensor {
    const network = this.mapping.network;
    return this.tensor(`input:${timestep}`, () => ({
      kind: 'network-input',
      layerIndex: -1,
      timeKey: timestep,
      tile: 0,
      bits: network.batch * network.input.channels * network.input.height * network.input.width * network.input.bits,
      readers: this.inputReaders.get(timestep) ?? [],
    }));
  }
}

function fetchOperand(tensor: BufferTensor): Operand {
  if (tensor.kind === 'weights') return 'weight';
  if (tensor.kind === 'state') return 'state';
  return 'input';
}

/** A bypassed role sends all its buffer accesses to DRAM; the inputs send the bypassed share of their bits. */
function bypassShares(
  weights: BufferTensor | null,
  inputs: BufferTensor[],
  output: BufferTensor,
  state: BufferTensor | null,
  bypassed: Set<BufferTensor>,
): BypassShares {
  let inputBits = 0;
  let bypassedInputBits = 0;
  for (const tensor of inputs) {
    inputBits += tensor.bits;
    if (bypassed.has(tensor)) bypassedInputBits += tensor.bits;
  }
  return {
    weights: weights && bypassed.has(weights) ? 1 : 0,
    inputs: inputBits > 0 ? bypassedInputBits / inputBits : 0,
    output: bypassed.has(output) ? 1 : 0,
    state: state && bypassed.has(state) ? 1 : 0,
  };
}
