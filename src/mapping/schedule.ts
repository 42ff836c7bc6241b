import { ResolvedNetwork } from '../spec/network';
import { layerTiles, nodeExtents, timeChunks } from './extents';
import { inputRange, layerSources } from './receptive-field';
import { ResolvedMapping, ScheduleNode } from './types';

/** A node before it has its place in execution order; `id` is its creation index. */
interface PendingNode extends ScheduleNode {
  tileFraction: number;
  dependencies: number[];
}

/** Execution priority: lowest group, earliest time chunk, leftmost tile, deepest layer, then creation order. */
function runsBefore(a: PendingNode, b: PendingNode): boolean {
  if (a.group !== b.group) return a.group < b.group;
  if (a.chunk !== b.chunk) return a.chunk < b.chunk;
  if (a.tileFraction !== b.tileFraction) return a.tileFraction < b.tileFraction;
  if (a.layer.index !== b.layer.index) return a.layer.index > b.layer.index;
  return a.id < b.id;
}

/** A binary min-heap of ready nodes ordered by `runsBefore`. */
class ReadyQueue {
  private readonly items: PendingNode[] = [];

  get size(): number {
    return this.items.length;
  }

  push(node: PendingNode): void {
    const items = this.items;
    items.push(node);
    let index = items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!runsBefore(items[index], items[parent])) break;
      [items[index], items[parent]] = [items[parent], items[index]];
      index = parent;
    }
  }

  pop(): PendingNode {
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
        if (left < items.length && runsBefore(items[left], items[best])) best = left;
        if (right < items.length && runsBefore(items[right], items[best])) best = right;
        if (best === index) break;
        [items[index], items[best]] = [items[best], items[index]];
        index = best;
      }
    }
    return top;
  }
}

/** Creates the nodes of every group, indexed by layer, then time chunk, then tile. */
function createNodes(mapping: ResolvedMapping): { nodes: PendingNode[]; firstNode: Map<string, number> } {
  const nodes: PendingNode[] = [];
  const firstNode = new Map<string, number>();
  for (const group of mapping.groups) {
    const chunks = timeChunks(mapping.network.timesteps, group);
    for (const layer of group.layers) {
      const tiles = layerTiles(layer, group);
      const axisExtent = layer.dims[group.tileAxis];
      firstNode.set(layer.name, nodes.length);
      chunks.forEach(([timeStart, timeEnd], chunk) => {
        tiles.forEach(([tileStart, tileEnd], tile) => {
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
            tileFraction: tileStart / axisExtent,
            dependencies: [],
          });
        });
      });
    }
  }
  return { nodes, firstNode };
}

/** Links each node to the producer nodes that overlap its receptive field in its timesteps, by creation index. */
function linkProducers(nodes: PendingNode[], firstNode: Map<string, number>, mapping: ResolvedMapping, network: ResolvedNetwork): void {
  const ignorePadding = mapping.stemsAssumptions;
  for (const node of nodes) {
    const layer = node.layer;
    const producers = new Set<number>();
    for (const source of layerSources(layer, network)) {
      if (source.producer === null) {
        for (let t = node.timeStart; t < node.timeEnd; t++) {
          if (!node.networkInputTimesteps.includes(t)) node.networkInputTimesteps.push(t);
        }
        continue;
      }
      const producer = source.producer;
      const producerGroup = mapping.groups[mapping.groupOf.get(producer.name)!];
      const producerTiles = layerTiles(producer, producerGroup);
      const base = firstNode.get(producer.name)!;

      let firstTile = 0;
      let lastTile = producerTiles.length - 1;
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
        for (let tile = firstTile; tile <= lastTile; tile++) producers.add(base + chunk * producerTiles.length + tile);
      }
    }
    node.producers = [...producers].sort((a, b) => a - b);
    node.dependencies = [...node.producers];
    if (layer.hasState && node.chunk > 0) {
      node.previousChunk = node.id - node.tileCount;
      node.dependencies.push(node.previousChunk);
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
  const { nodes, firstNode } = createNodes(mapping);
  linkProducers(nodes, firstNode, mapping, network);

  const waiting = new Int32Array(nodes.length);
  const dependents: number[][] = nodes.map(() => []);
  for (const node of nodes) {
    waiting[node.id] = node.dependencies.length;
    for (const dependency of node.dependencies) dependents[dependency].push(node.id);
  }
  const queue = new ReadyQueue();
  for (const node of nodes) {
    if (waiting[node.id] === 0) queue.push(node);
  }

  const order: PendingNode[] = [];
  while (queue.size > 0) {
    const node = queue.pop();
    order.push(node);
    for (const dependent of dependents[node.id]) {
      waiting[dependent] -= 1;
      if (waiting[dependent] === 0) queue.push(nodes[dependent]);
    }
  }
  if (order.length !== nodes.length) {
    throw new Error(`internal error: ${nodes.length - order.length} nodes never became ready; the layer graph has a cycle`);
  }

  const position = new Int32Array(nodes.length);
  order.forEach((node, index) => (position[node.id] = index));
  const scheduled: ScheduleNode[] = order.map((node, index) => ({
    id: index,
    layer: node.layer,
    group: node.group,
    chunk: node.chunk,
    timeStart: node.timeStart,
    timeEnd: node.timeEnd,
    tile: node.tile,
    tileAxis: node.tileAxis,
    tileStart: node.tileStart,
    tileEnd: node.tileEnd,
    tileCount: node.tileCount,
    extents: node.extents,
    producers: node.producers.map((id) => position[id]).sort((a, b) => a - b),
    consumers: [],
    networkInputTimesteps: node.networkInputTimesteps,
    previousChunk: node.previousChunk === -1 ? -1 : position[node.previousChunk],
  }));
  for (const node of scheduled) {
    for (const producer of node.producers) scheduled[producer].consumers.push(node.id);
  }
  return scheduled;
}
