import { TileAxis } from '../mapping/types';
import { ResolvedNetwork } from '../spec/network';

/** The inter-layer settings of one group: how it is cut into nodes along time and along an output axis. */
export interface GroupSettings {
  schedule: 'layer-by-layer' | 'fused';
  /** Set for a fused group only. */
  tileAxis?: TileAxis;
  /** Output columns (tileAxis OX) or rows (OY) per fused tile; set for a fused group only. */
  tileSize?: number;
  /** Timesteps per node: 1 is sequential time, T is fully time-batched. */
  timeBatch: number;
}

/** A cut along the output axes: layer by layer, or fused with a tile size along OX or OY. */
export type Tiling = Omit<GroupSettings, 'timeBatch'>;

/** Time batches that the search tries: the divisors of T, or every value from 1 to T. */
export type TimeBatchChoice = 'divisors' | 'all';

export interface SearchSpaceOptions {
  timeBatches?: TimeBatchChoice;
  /** The STEMS authors' assumptions cut every fused layer into one-column tiles, so other tile sizes are not searched. */
  stemsAssumptions?: boolean;
}

/** The values that the search assigns to each group: tilings and time batches, in a fixed order. */
export interface SearchSpace {
  timeBatches: number[];
  tilings: Tiling[];
  /** Every tiling with every time batch: tilings outermost, in the order of `tilings`. */
  settings: GroupSettings[];
}

export function divisors(value: number): number[] {
  const result: number[] = [];
  for (let candidate = 1; candidate <= value; candidate++) {
    if (value % candidate === 0) result.push(candidate);
  }
  return result;
}

/** Largest extent of the axis among the layers that have a loop nest. */
function widestExtent(network: ResolvedNetwork, axis: TileAxis): number {
  let widest = 1;
  for (const layer of network.layers) {
    if (!layer.isView) widest = Math.max(widest, layer.dims[axis]);
  }
  return widest;
}

/**
 * Fused tile sizes along an axis: powers of two from 1 while below the widest extent. A tile as wide as the widest
 * layer would make fusion equal to layer by layer in every layer.
 */
export function fusedTileSizes(network: ResolvedNetwork, axis: TileAxis): number[] {
  const widest = widestExtent(network, axis);
  const sizes: number[] = [];
  for (let size = 1; size < widest; size *= 2) sizes.push(size);
  return sizes;
}

/** Builds the tilings and time batches searched for a network. */
export function buildSearchSpace(network: ResolvedNetwork, options: SearchSpaceOptions = {}): SearchSpace {
  const timesteps = network.timesteps;
  const timeBatches =
    options.timeBatches === 'all' ? Array.from({ length: timesteps }, (_, index) => index + 1) : divisors(timesteps);

  const tilings: Tiling[] = [{ schedule: 'layer-by-layer' }];
  if (options.stemsAssumptions) {
    tilings.push({ schedule: 'fused', tileAxis: 'OX', tileSize: 1 });
  } else {
    for (const tileAxis of ['OX', 'OY'] as const) {
      for (const tileSize of fusedTileSizes(network, tileAxis)) tilings.push({ schedule: 'fused', tileAxis, tileSize });
    }
  }

  const settings = tilings.flatMap((tiling) => timeBatches.map((timeBatch) => withTimeBatch(tiling, timeBatch)));
  return { timeBatches, tilings, settings };
}

export function withTimeBatch(tiling: Tiling, timeBatch: number): GroupSettings {
  return { ...tiling, timeBatch };
}

export function tilingOf(settings: GroupSettings): Tiling {
  return settings.schedule === 'fused'
    ? { schedule: 'fused', tileAxis: settings.tileAxis, tileSize: settings.tileSize }
    : { schedule: 'layer-by-layer' };
}

export function sameSettings(a: GroupSettings, b: GroupSettings): boolean {
  return a.schedule === b.schedule && a.timeBatch === b.timeBatch && a.tileAxis === b.tileAxis && a.tileSize === b.tileSize;
}

/** Short label of group settings, e.g. "TB16-F(OX1)", "ST-LBL" or "T4-F(OY8)". */
export function describeSettings(settings: GroupSettings, timesteps: number): string {
  let time = `T${settings.timeBatch}`;
  if (settings.timeBatch === 1) time = 'ST';
  else if (settings.timeBatch === timesteps) time = `TB${timesteps}`;
  const cut = settings.schedule === 'fused' ? `F(${settings.tileAxis}${settings.tileSize})` : 'LBL';
  return `${time}-${cut}`;
}
