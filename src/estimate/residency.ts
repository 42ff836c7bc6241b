import { ResolvedMapping, ScheduleNode } from '../mapping/types';
import * as indices from './layer-context';

// Module-local copies: CommonJS loaders turn imported bindings into getter calls on every use.
const WEIGHT = indices.WEIGHT;
const INPUT = indices.INPUT;
const OUTPUT = indices.OUTPUT;
const PARTIAL_SUM = indices.PARTIAL_SUM;
const STATE = indices.STATE;
const OPERAND_COUNT = indices.OPERAND_COUNT;

/** Kinds of tensor kept in the buffer between nodes. The numbers are the eviction order among otherwise equal tensors. */
const WEIGHTS = 0;
const NETWORK_INPUT = 1;
const OUTPUT_TILE = 2;
const STATE_TILE = 3;

/** DRAM traffic between nodes caused by one node, and which of its operands bypass the buffer. */
export interface NodeTransfers {
  /** Words per operand (WEIGHT, INPUT, OUTPUT, PARTIAL_SUM, STATE) read from DRAM and written to the buffer (fetches). */
  dramReadWords: Float64Array;
  bufferWriteWords: Float64Array;
  /** Words per operand read from the buffer and written to DRAM (write-backs). */
  bufferReadWords: Float64Array;
  dramWriteWords: Float64Array;
  /** Share of each operand's buffer accesses in the loop nest that go to DRAM because its tensor is bypassed. */
  bypassShare: Float64Array;
}

export function createNodeTransfers(): NodeTransfers {
  return {
    dramReadWords: new Float64Array(OPERAND_COUNT),
    bufferWriteWords: new Float64Array(OPERAND_COUNT),
    bufferReadWords: new Float64Array(OPERAND_COUNT),
    dramWriteWords: new Float64Array(OPERAND_COUNT),
    bypassShare: new Float64Array(OPERAND_COUNT),
  };
}

/**
 * The buffer's contents over a run of the schedule, following the rules of docs/cost-model.md ("Across nodes"):
 * working set and bypass, fetch, evict by priority, write-back and free. Call `step` once per node, in order.
 */
export class BufferResidency {
  private readonly capacityBits: number;
  private readonly dramWordBits: number;
  private readonly bufferWordBits: number;

  // One entry per tensor.
  private readonly kind: Int8Array;
  private readonly bits: Float64Array;
  private readonly layerIndex: Int32Array;
  private readonly timeKey: Float64Array;
  private readonly tileKey: Float64Array;
  private readonly readers: Int32Array;
  private readonly dirty: Uint8Array;
  private readonly neededBy: Int32Array;
  /** Position in `residentList`, or -1 when not resident. */
  private readonly residentAt: Int32Array;
  private readonly residentList: number[] = [];
  private usedBits = 0;

  private readonly weightId = new Map<string, number>();
  private readonly inputId: number[] = [];
  private readonly outputBase: number;
  private readonly stateBase = new Map<string, number>();

  private readonly needed: number[] = [];
  private readonly bypassed: number[] = [];
  /** Id of the node for which each tensor is bypassed, or -1; a lookup that stays O(1) for nodes with thousands of tensors. */
  private readonly bypassedBy: Int32Array;

  constructor(
    private readonly nodes: ScheduleNode[],
    private readonly mapping: ResolvedMapping,
  ) {
    const hardware = mapping.hardware;
    const network = mapping.network;
    this.capacityBits = hardware.buffer.capacityBits ?? Infinity;
    this.dramWordBits = hardware.dram.wordBits;
    this.bufferWordBits = hardware.buffer.wordBits;

    const tensors: { kind: number; bits: number; layer: number; time: number; tile: number; readers: number }[] = [];
    for (const layer of network.layers) {
      if (!layer.hasWeights) continue;
      this.weightId.set(layer.name, tensors.length);
      const weightBits = layer.dims.K * layer.dims.C * layer.dims.FY * layer.dims.FX * layer.precision.weightBits;
      tensors.push({ kind: WEIGHTS, bits: weightBits, layer: layer.index, time: 0, tile: 0, readers: 0 });
    }
    const inputBits = network.batch * network.input.channels * network.input.height * network.input.width * network.input.bits;
    for (let t = 0; t < network.timesteps; t++) {
      this.inputId.push(tensors.length);
      tensors.push({ kind: NETWORK_INPUT, bits: inputBits, layer: -1, time: t, tile: 0, readers: 0 });
    }
    this.outputBase = tensors.length;
    for (const node of nodes) {
      const e = node.extents;
      const bits = e.T * e.B * e.K * e.OY * e.OX * node.layer.precision.outputBits;
      tensors.push({ kind: OUTPUT_TILE, bits, layer: node.layer.index, time: node.timeStart, tile: node.tile, readers: node.consumers.length });
    }
    for (const node of nodes) {
      const layer = node.layer;
      if (layer.hasWeights) tensors[this.weightId.get(layer.name)!].readers += 1;
      for (const t of node.networkInputTimesteps) tensors[this.inputId[t]].readers += 1;
      if (!layer.hasState) continue;
      if (!this.stateBase.has(layer.name)) {
        this.stateBase.set(layer.name, tensors.length);
        for (let tile = 0; tile < node.tileCount; tile++) {
          tensors.push({ kind: STATE_TILE, bits: 0, layer: layer.index, time: 0, tile, readers: 0 });
        }
      }
      const state = tensors[this.stateBase.get(layer.name)! + node.tile];
      const e = node.extents;
      state.bits = e.B * e.K * e.OY * e.OX * layer.precision.stateBits;
      state.readers += 1;
    }

    const count = tensors.length;
    this.kind = Int8Array.from(tensors, (tensor) => tensor.kind);
    this.bits = Float64Array.from(tensors, (tensor) => tensor.bits);
    this.layerIndex = Int32Array.from(tensors, (tensor) => tensor.layer);
    this.timeKey = Float64Array.from(tensors, (tensor) => tensor.time);
    this.tileKey = Float64Array.from(tensors, (tensor) => tensor.tile);
    this.readers = Int32Array.from(tensors, (tensor) => tensor.readers);
    this.dirty = new Uint8Array(count);
    this.neededBy = new Int32Array(count).fill(-1);
    this.residentAt = new Int32Array(count).fill(-1);
    this.bypassedBy = new Int32Array(count).fill(-1);
  }

  /** Bits held in the buffer now. */
  get occupiedBits(): number {
    return this.usedBits;
  }

  /** Applies the rules for one node and returns the DRAM transfers it causes and its bypass shares. */
  step(node: ScheduleNode, out: NodeTransfers = createNodeTransfers()): NodeTransfers {
    out.dramReadWords.fill(0);
    out.bufferWriteWords.fill(0);
    out.bufferReadWords.fill(0);
    out.dramWriteWords.fill(0);
    out.bypassShare.fill(0);

    const layer = node.layer;
    const needed = this.needed;
    needed.length = 0;
    if (layer.hasWeights) needed.push(this.weightId.get(layer.name)!);
    for (const producer of node.producers) needed.push(this.outputBase + producer);
    for (const t of node.networkInputTimesteps) needed.push(this.inputId[t]);
    const output = this.outputBase + node.id;
    needed.push(output);
    const state = layer.hasState ? this.stateBase.get(layer.name)! + node.tile : -1;
    if (state >= 0) needed.push(state);
    for (const tensor of needed) this.neededBy[tensor] = node.id;

    this.chooseBypassed(node, state);
    const bypassed = this.bypassed;
    for (const tensor of bypassed) {
      if (this.residentAt[tensor] < 0) continue;
      if (this.dirty[tensor]) this.writeBack(tensor, out);
      this.remove(tensor);
    }
    this.recordBypassShares(node, output, state, out);

    let missingBits = 0;
    for (const tensor of needed) {
      if (this.residentAt[tensor] < 0 && this.bypassedBy[tensor] !== node.id) missingBits += this.bits[tensor];
    }
    while (this.capacityBits - this.usedBits < missingBits) this.evictOne(node.id, out);

    for (const tensor of needed) {
      if (this.residentAt[tensor] >= 0 || this.bypassedBy[tensor] === node.id) continue;
      const startsOnChip = tensor === output || (tensor === state && node.chunk === 0 && !this.mapping.stemsAssumptions);
      if (!startsOnChip) this.fetch(tensor, out);
      this.add(tensor);
      this.dirty[tensor] = tensor === output ? 1 : 0;
    }

    // The node updates its state and writes its output; a bypassed one is updated in DRAM, so the buffer has no copy.
    if (state >= 0 && this.bypassedBy[state] !== node.id) this.dirty[state] = 1;

    for (const tensor of needed) {
      if (tensor !== output) this.readers[tensor] -= 1;
    }
    for (const tensor of needed) {
      if (this.readers[tensor] > 0 || this.residentAt[tensor] < 0) continue;
      const writesAtEnd = tensor === output || (tensor === state && this.mapping.stemsAssumptions);
      if (writesAtEnd && this.dirty[tensor]) this.writeBack(tensor, out);
      this.remove(tensor);
    }
    return out;
  }

  /** Bypasses the largest needed tensors, one at a time, until the rest fit; a state kept in DRAM always bypasses. */
  private chooseBypassed(node: ScheduleNode, state: number): void {
    const bypassed = this.bypassed;
    bypassed.length = 0;
    const stateInDramLevel = state >= 0 && this.mapping.layers.get(node.layer.name)!.stateLevel === this.mapping.hardware.dram.index;
    let totalBits = 0;
    for (const tensor of this.needed) totalBits += this.bits[tensor];
    if (stateInDramLevel) {
      this.bypass(state, node.id);
      totalBits -= this.bits[state];
    }
    if (totalBits <= this.capacityBits) return;

    // Largest first; the sort is stable, so equal sizes keep the order of the needed list.
    const bySize = [...this.needed].sort((a, b) => this.bits[b] - this.bits[a]);
    for (const tensor of bySize) {
      if (totalBits <= this.capacityBits) break;
      if (this.bypassedBy[tensor] === node.id) continue;
      this.bypass(tensor, node.id);
      totalBits -= this.bits[tensor];
    }
  }

  private bypass(tensor: number, nodeId: number): void {
    this.bypassed.push(tensor);
    this.bypassedBy[tensor] = nodeId;
  }

  private recordBypassShares(node: ScheduleNode, output: number, state: number, out: NodeTransfers): void {
    const bypassed = this.bypassed;
    if (bypassed.length === 0) return;
    const isBypassed = (tensor: number) => this.bypassedBy[tensor] === node.id;
    if (node.layer.hasWeights && isBypassed(this.weightId.get(node.layer.name)!)) out.bypassShare[WEIGHT] = 1;
    if (isBypassed(output)) {
      out.bypassShare[OUTPUT] = 1;
      out.bypassShare[PARTIAL_SUM] = 1; // partial sums follow the output tile
    }
    if (state >= 0 && isBypassed(state)) out.bypassShare[STATE] = 1;
    let inputBits = 0;
    let bypassedInputBits = 0;
    for (const tensor of this.needed) {
      const kind = this.kind[tensor];
      const isInput = kind === NETWORK_INPUT || (kind === OUTPUT_TILE && tensor !== output);
      if (!isInput) continue;
      inputBits += this.bits[tensor];
      if (isBypassed(tensor)) bypassedInputBits += this.bits[tensor];
    }
    if (inputBits > 0) out.bypassShare[INPUT] = bypassedInputBits / inputBits;
  }

  /** Evicts the resident tensor with the lowest priority that the current node does not need. */
  private evictOne(nodeId: number, out: NodeTransfers): void {
    let victim = -1;
    for (const tensor of this.residentList) {
      if (this.neededBy[tensor] === nodeId) continue;
      if (victim < 0 || this.evictsBefore(tensor, victim)) victim = tensor;
    }
    if (victim < 0) throw new Error('internal error: the working set does not fit the buffer after bypassing');
    if (this.dirty[victim] && this.readers[victim] > 0) this.writeBack(victim, out);
    this.remove(victim);
  }

  /** Eviction order: fewest future readers, then the later layer, the later time, the later tile, then the kind order. */
  private evictsBefore(a: number, b: number): boolean {
    if (this.readers[a] !== this.readers[b]) return this.readers[a] < this.readers[b];
    if (this.layerIndex[a] !== this.layerIndex[b]) return this.layerIndex[a] > this.layerIndex[b];
    if (this.timeKey[a] !== this.timeKey[b]) return this.timeKey[a] > this.timeKey[b];
    if (this.tileKey[a] !== this.tileKey[b]) return this.tileKey[a] > this.tileKey[b];
    return this.kind[a] < this.kind[b];
  }

  /** Operand under which a transfer of the tensor is charged: a producer's output read for a node is its input. */
  private fetchOperand(tensor: number): number {
    switch (this.kind[tensor]) {
      case WEIGHTS:
        return WEIGHT;
      case STATE_TILE:
        return STATE;
      default:
        return INPUT;
    }
  }

  private fetch(tensor: number, out: NodeTransfers): void {
    const operand = this.fetchOperand(tensor);
    out.dramReadWords[operand] += Math.ceil(this.bits[tensor] / this.dramWordBits);
    out.bufferWriteWords[operand] += Math.ceil(this.bits[tensor] / this.bufferWordBits);
  }

  private writeBack(tensor: number, out: NodeTransfers): void {
    const operand = this.kind[tensor] === STATE_TILE ? STATE : OUTPUT;
    out.bufferReadWords[operand] += Math.ceil(this.bits[tensor] / this.bufferWordBits);
    out.dramWriteWords[operand] += Math.ceil(this.bits[tensor] / this.dramWordBits);
    this.dirty[tensor] = 0;
  }

  private add(tensor: number): void {
    this.residentAt[tensor] = this.residentList.length;
    this.residentList.push(tensor);
    this.usedBits += this.bits[tensor];
  }

  private remove(tensor: number): void {
    const position = this.residentAt[tensor];
    const last = this.residentList.pop()!;
    if (last !== tensor) {
      this.residentList[position] = last;
      this.residentAt[last] = position;
    }
    this.residentAt[tensor] = -1;
    this.usedBits -= this.bits[tensor];
  }
}
