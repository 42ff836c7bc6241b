import { LoopBounds } from '../spec/dims';
import { ResolvedLayer } from '../spec/network';
import { ResolvedGroup, TileAxis } from './types';

/** Ranges [start, end) of `size` consecutive items covering 0..extent; the last range may be shorter. */
export function splitRange(extent: number, size: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let start = 0; start < extent; start += size) ranges.push([start, Math.min(start + size, extent)]);
  return ranges;
}

/** Returns the time chunks of a group: timesteps taken timeBatch at a time. */
export function timeChunks(timesteps: number, group: ResolvedGroup): [number, number][] {
  return splitRange(timesteps, group.timeBatch);
}

/** Returns the tiles of a layer along its group's axis: one for a layer-by-layer group, tileSize columns (or rows) each when fused. */
export function layerTiles(layer: ResolvedLayer, group: ResolvedGroup): [number, number][] {
  const extent = layer.dims[group.tileAxis];
  return group.tileSize === null ? [[0, extent]] : splitRange(extent, group.tileSize);
}

/** Loop bounds of a node: the layer's dims with T cut to the time chunk and the tile axis cut to the tile. */
export function nodeExtents(layer: ResolvedLayer, timeStart: number, timeEnd: number, axis: TileAxis, tileStart: number, tileEnd: number): LoopBounds {
  const extents = { ...layer.dims, T: timeEnd - timeStart };
  extents[axis] = tileEnd - tileStart;
  return extents;
}

/** Returns the distinct loop bounds among the nodes of a layer: full and last time chunk times first and last tile. */
export function distinctNodeExtents(layer: ResolvedLayer, group: ResolvedGroup): LoopBounds[] {
  const chunks = timeChunks(layer.dims.T, group);
  const tiles = layerTiles(layer, group);
  const variants: LoopBounds[] = [];
  const seen = new Set<string>();
  for (const [timeStart, timeEnd] of [chunks[0], chunks[chunks.length - 1]]) {
    for (const [tileStart, tileEnd] of [tiles[0], tiles[tiles.length - 1]]) {
      const key = `${timeEnd - timeStart}:${tileEnd - tileStart}`;
      if (seen.has(key)) continue;
      seen.add(key);
      variants.push(nodeExtents(layer, timeStart, timeEnd, group.tileAxis, tileStart, tileEnd));
    }
  }
  return variants;
}
