import { describeSettings, GroupSettings } from './space';

/** A run of consecutive blocks scheduled as one group. */
export interface GroupChoice {
  blockCount: number;
  settings: GroupSettings;
}

/**
 * A point of the search space, small enough to send to a worker: the state variant, the inter-layer schedule as
 * groups of consecutive blocks, and the intra-layer option of every layer.
 */
export interface Candidate {
  /** keepStateInLastBlocks of the network variant; null keeps the network spec's own setting. */
  stateBlocks: number | null;
  /** Groups in block order; their block counts add up to the number of blocks. */
  groups: GroupChoice[];
  /** Index into each layer's intra-layer options (see layer-options.ts), per layer with a loop nest in network order; 0 is the default mapping. */
  layerOptions: number[];
}

/** Returns a string that is equal for two candidates exactly when they describe the same mapping and network variant. */
export function candidateKey(candidate: Candidate): string {
  const state = candidate.stateBlocks === null ? '-' : String(candidate.stateBlocks);
  const groups = candidate.groups.map((group) => {
    const settings = group.settings;
    const cut = settings.schedule === 'fused' ? `F${settings.tileAxis}${settings.tileSize}` : 'L';
    return `${group.blockCount}:${cut}t${settings.timeBatch}`;
  });
  return `${state}|${groups.join(',')}|${candidate.layerOptions.join('.')}`;
}

/** Expands the groups to one settings entry per block. */
export function blockSettings(candidate: Candidate): GroupSettings[] {
  return candidate.groups.flatMap((group) => Array.from({ length: group.blockCount }, () => group.settings));
}

/** Index of the group that holds each block. */
export function blockGroupIndex(candidate: Candidate): number[] {
  return candidate.groups.flatMap((group, index) => Array.from({ length: group.blockCount }, () => index));
}

/** Describes a candidate in one line: the groups with their block ranges, the state variant and how many layers leave the default loops. */
export function describeCandidate(candidate: Candidate, blocks: string[], timesteps: number): string {
  const parts: string[] = [];
  let first = 0;
  for (const group of candidate.groups) {
    const last = first + group.blockCount - 1;
    const range = first === last ? blocks[first] : `${blocks[first]}..${blocks[last]}`;
    parts.push(`${range} ${describeSettings(group.settings, timesteps)}`);
    first = last + 1;
  }
  const changedLayers = candidate.layerOptions.filter((option) => option !== 0).length;
  if (changedLayers > 0) parts.push(`${changedLayers} layer(s) with explored loops`);
  if (candidate.stateBlocks !== null) parts.push(`state in the last ${candidate.stateBlocks} block(s)`);
  return parts.join('; ');
}
