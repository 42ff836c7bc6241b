import { ResolvedNetwork } from '../spec/network';
import { layerTiles, nodeExtents, timeChunks } from './extents';
import { inputRange, layerSources } from './receptive-field';
import { ResolvedMapping, ScheduleNode } from './types';

/** Ordering data of the nodes while the schedule is built, indexed by creation index. */
interface Pending {
  nodes: ScheduleNode[];
  tileFraction: Float64Array;
  dependencies: number[][];
}

/** Execution priority: lowest group, earliest time chunk, leftmost tile, deepest layer, then creation order. */
function runsBefore(pending: Pending, a: number, b: number): boolean {
  const nodeA = pending.nodes[a];
  const nodeB = pending.nodes[b];
  if (nodeA.group !== nodeB.group) return nodeA.group < nodeB.group;
  if (nodeA.chunk !== nodeB.chunk) return nodeA.chunk < nodeB.chunk;
  if (pending.tileFraction[a] !== pending.tileFraction[b]) return pending.tileFraction[a] < pending.tileFraction[b];
  if (nodeA.layer.index !== nodeB.layer.index) return nodeA.layer.index > nodeB.layer.index;
  return a < b;
}

/** A binary min-heap of ready nodes (by creation index) ordered by `runsBefore`. */
class ReadyQueue {
  private readonly items: number[] = [];

  constructor(private readonly pending: Pending) {}

  get size(): number {
    return this.items.length;
  }

  push(node: number): void {
    const items = this.items;
    items.push(node);
    let index = items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!runsBefore(this.pending, items[index], items[parent])) break;
      [items[index], items[parent]] = [items[parent], items[index]];
      index = parent;
    }
  }

  pop(): number {
    const items = this.items;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        const right = left + 1;
        let best = index;
        if (left < items.length && runsBefore(this.pending, items[left], items[best])) best = left;
        if (right < items.length && runsBefore(this.pending, items[right], items[best])) best = right;
        if (best === index) break;
        [items[index], items[best]] = [items[best], items[index]];
        index = best;
      }
    }
    return top;
  }
}

/** Creates the nodes of every group, indexed by layer, then time chunk, then tile; `id` is the creation index for now. */
function createNodes(mapping: ResolvedMapping): { pending: Pending; firstNode: Map<string, number>; tilesOf: Map<string, [number, number][]> } {
  const nodes: ScheduleNode[] = [];
  const fractions: number[] = [];
  const firstNode = new Map<string, number>();
  const tilesOf = new Map<string, [number, number][]>();
  for (const group of mapping.groups) {
    const chunks = timeChunks(mapping.network.timesteps, group);
    for (const layer of group.layers) {
      const tiles = layerTiles(layer, group);
      tilesOf.set(layer.name, tiles);
      const axisExtent = layer.dims[group.tileAxis];
      firstNode.set(layer.name, nodes.length);
      chunks.forEach(([timeStart, timeEnd], chunk) => {
        tiles.forEach(([tileStart, tileEnd], tile) => {
          fractions.push(tileStart / axisExtent);
          nodes.push({
            id: nodes.length,
            layer,
            group: group.index,
            chunk,
            timeStart,
            timeEnd,
            tile,
            tileAxis: group.tileAxis,
            tileStart,
            tileEnd,
            tileCount: tiles.length,
            extents: nodeExtents(layer, timeStart, timeEnd, group.tileAxis, tileStart, tileEnd),
            producers: [],
            consumers: [],
            networkInputTimesteps: [],
            previousChunk: -1,
          });
        });
      });
    }
  }
  const pending = { nodes, tileFraction: Float64Array.from(fractions), dependencies: nodes.map((): number[] => []) };
  return { pending, firstNode, tilesOf };
}

/** Links each node to the producer nodes that overlap its receptive field in its timesteps, by creation index. */
function linkProducers(
  pending: Pending,
  firstNode: Map<string, number>,
  tilesOf: Map<string, [number, number][]>,
  mapping: ResolvedMapping,
  network: ResolvedNetwork,
): void {
  const ignorePadding = mapping.stemsAssumptions;
  const sourcesOf = new Map(mapping.groups.flatMap((group) => group.layers).map((layer) => [layer.name, layerSources(layer, network)]));
  for (const node of pending.nodes) {
    const layer = node.layer;
    const producers: number[] = [];
    for (const source of sourcesOf.get(layer.name)!) {
      if (source.producer === null) {
        for (let t = node.timeStart; t < node.timeEnd; t++) {
          if (!node.networkInputTimesteps.includes(t)) node.networkInputTimesteps.push(t);
        }
        continue;
      }
      const producer = source.producer;
      const producerGroup = mapping.groups[mapping.groupOf.get(producer.name)!];
      const tileCount = tilesOf.get(producer.name)!.length;
      const base = firstNode.get(producer.name)!;

      let firstTile = 0;
      let lastTile = tileCount - 1;
      // Only a consumer tiled along the producer's axis, without a flatten in between, needs fewer than all tiles.
      const cutAlongProducerAxis = producerGroup.tileSize !== null && !source.throughView && node.tileAxis === producerGroup.tileAxis && node.tileCount > 1;
      if (cutAlongProducerAxis) {
        const [first, last] = inputRange(layer, node.tileAxis, node.tileStart, node.tileEnd, producer.dims[node.tileAxis], ignorePadding);
        firstTile = Math.floor(first / producerGroup.tileSize!);
        lastTile = Math.floor((last - 1) / producerGroup.tileSize!);
      }
      const firstChunk = Math.floor(node.timeStart / producerGroup.timeBatch);
      const lastChunk = Math.floor((node.timeEnd - 1) / producerGroup.timeBatch);
      for (let chunk = firstChunk; chunk <= lastChunk; chunk++) {
        for (let tile = firstTile; tile <= lastTile; tile++) producers.push(base + chunk * tileCount + tile);
      }
    }
    producers.sort((a, b) => a - b);
    node.producers = producers.filter((id, index) => index === 0 || id !== producers[index - 1]);
    const dependencies = pending.dependencies[node.id];
    dependencies.push(...node.producers);
    if (layer.hasState && node.chunk > 0) {
      node.previousChunk = node.id - node.tileCount;
      dependencies.push(node.previousChunk);
    }
  }
}

/**
 * Cuts every layer into nodes and orders them (docs/cost-model.md, "Nodes"): among the ready nodes, the lowest group
 * runs first, then the earliest time chunk, the leftmost tile (by its start as a fraction of the axis), the deepest layer.
 * A node is ready when the producer nodes overlapping its receptive field in its timesteps have run and, for a stateful
 * layer, its own node of the previous time chunk has run. Returns the nodes in execution order, `id` = position.
 */
export function buildSchedule(network: ResolvedNetwork, mapping: ResolvedMapping): ScheduleNode[] {
  const { pending, firstNode, tilesOf } = createNodes(mapping);
  linkProducers(pending, firstNode, tilesOf, mapping, network);
  const nodes = pending.nodes;

  const waiting = new Int32Array(nodes.length);
  const dependents: number[][] = nodes.map(() => []);
  pending.dependencies.forEach((dependencies, node) => {
    waiting[node] = dependencies.length;
    for (const dependency of dependencies) dependents[dependency].push(node);
  });
  const queue = new ReadyQueue(pending);
  for (let node = 0; node < nodes.length; node++) {
    if (waiting[node] === 0) queue.push(node);
  }

  const order: number[] = [];
  while (queue.size > 0) {
    const node = queue.pop();
    order.push(node);
    for (const dependent of dependents[node]) {
      waiting[dependent] -= 1;
      if (waiting[dependent] === 0) queue.push(dependent);
    }
  }
  if (order.length !== nodes.length) {
    throw new Error(`internal error: ${nodes.length - order.length} nodes never became ready; the layer graph has a cycle`);
  }

  // Renumber by execution order.
  const position = new Int32Array(nodes.length);
  order.forEach((node, index) => (position[node] = index));
  const scheduled = order.map((created) => nodes[created]);
  for (const node of scheduled) {
    node.id = position[node.id];
    node.producers = node.producers.map((id) => position[id]).sort((a, b) => a - b);
    if (node.previousChunk >= 0) node.previousChunk = position[node.previousChunk];
  }
  for (const node of scheduled) {
    for (const producer of node.producers) scheduled[producer].consumers.push(node.id);
  }
  return scheduled;
}
