import { ResolvedMapping, ScheduleNode } from '../mapping';

/**
 * Returns the buffer capacity in bits that a schedule needs so that nothing is ever evicted or bypassed: the peak,
 * over the nodes in execution order, of the bits of every tensor that is live at that node. With an unbounded buffer
 * the rules of docs/cost-model.md ("Across nodes") keep each tensor from its first use to its last reader:
 * - a layer's weights from its first node to its last;
 * - the network input of a timestep from the first to the last node that reads it;
 * - a node's output tile from that node to its last consumer (a network output is written to DRAM and freed after it);
 * - a layer's state tile from the first to the last node of that layer and tile, unless the state lives in DRAM.
 * A buffer of at least this size gives the same off-chip traffic as an unbounded one.
 */
export function requiredBufferBits(mapping: ResolvedMapping, nodes: ScheduleNode[]): number {
  const network = mapping.network;
  const dramLevel = mapping.hardware.dram.index;
  // delta[i] is the change of live bits when node i starts. A tensor live over [first, last] adds at first and removes at last + 1.
  const delta = new Float64Array(nodes.length + 1);
  const addInterval = (bits: number, first: number, last: number) => {
    delta[first] += bits;
    delta[last + 1] -= bits;
  };

  const weightSpan = new Map<string, [number, number]>();
  const stateSpan = new Map<string, [number, number, number]>();
  const inputFirst = new Map<number, number>();
  const inputLast = new Map<number, number>();

  for (const node of nodes) {
    const layer = node.layer;
    const e = node.extents;
    const last = node.consumers.length > 0 ? node.consumers[node.consumers.length - 1] : node.id;
    addInterval(e.T * e.B * e.K * e.OY * e.OX * layer.precision.outputBits, node.id, last);

    if (layer.hasWeights) {
      const span = weightSpan.get(layer.name);
      if (span) span[1] = node.id;
      else weightSpan.set(layer.name, [node.id, node.id]);
    }
    for (const t of node.networkInputTimesteps) {
      if (!inputFirst.has(t)) inputFirst.set(t, node.id);
      inputLast.set(t, node.id);
    }
    if (layer.hasState && mapping.layers.get(layer.name)!.stateLevel !== dramLevel) {
      const key = `${layer.name}|${node.tile}`;
      const span = stateSpan.get(key);
      if (span) span[1] = node.id;
      else stateSpan.set(key, [node.id, node.id, e.B * e.K * e.OY * e.OX * layer.precision.stateBits]);
    }
  }

  for (const [name, [first, last]] of weightSpan) {
    const d = network.byName.get(name)!.dims;
    addInterval(d.K * d.C * d.FY * d.FX * network.byName.get(name)!.precision.weightBits, first, last);
  }
  const inputBits = network.batch * network.input.channels * network.input.height * network.input.width * network.input.bits;
  for (const [t, first] of inputFirst) addInterval(inputBits, first, inputLast.get(t)!);
  for (const [first, last, bits] of stateSpan.values()) addInterval(bits, first, last);

  let live = 0;
  let peak = 0;
  for (let index = 0; index < nodes.length; index++) {
    live += delta[index];
    peak = Math.max(peak, live);
  }
  return peak;
}
