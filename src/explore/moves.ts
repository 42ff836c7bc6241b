import { Candidate, GroupChoice } from './candidate';
import { GroupSettings, SearchSpace, tilingOf, withTimeBatch } from './space';

/** Changes of one candidate that the local search and the mutations apply. Each returns a new candidate. */

function withGroups(candidate: Candidate, groups: GroupChoice[]): Candidate {
  return { ...candidate, groups: groups.filter((group) => group.blockCount > 0) };
}

export function uniformCandidate(blockCount: number, layerCount: number, settings: GroupSettings): Candidate {
  return { stateBlocks: null, groups: [{ blockCount, settings }], layerOptions: new Array<number>(layerCount).fill(0) };
}

/** Fused (or any) settings on the first `prefixBlocks` blocks, and other settings on the rest, as the STEMS hybrids do. */
export function prefixHybrid(blockCount: number, layerCount: number, prefixBlocks: number, first: GroupSettings, rest: GroupSettings): Candidate {
  return {
    stateBlocks: null,
    groups: [
      { blockCount: prefixBlocks, settings: first },
      { blockCount: blockCount - prefixBlocks, settings: rest },
    ],
    layerOptions: new Array<number>(layerCount).fill(0),
  };
}

export function setGroupSettings(candidate: Candidate, groupIndex: number, settings: GroupSettings): Candidate {
  return withGroups(
    candidate,
    candidate.groups.map((group, index) => (index === groupIndex ? { blockCount: group.blockCount, settings } : group)),
  );
}

/** Gives one block its own group with `settings`; the blocks before and after it in its old group keep theirs. */
export function isolateBlock(candidate: Candidate, blockIndex: number, settings: GroupSettings): Candidate {
  const groups: GroupChoice[] = [];
  let first = 0;
  for (const group of candidate.groups) {
    const last = first + group.blockCount - 1;
    if (blockIndex < first || blockIndex > last) {
      groups.push(group);
    } else {
      groups.push({ blockCount: blockIndex - first, settings: group.settings });
      groups.push({ blockCount: 1, settings });
      groups.push({ blockCount: last - blockIndex, settings: group.settings });
    }
    first = last + 1;
  }
  return withGroups(candidate, groups);
}

/** Merges group `groupIndex` with the next one, under the settings of the left or the right group. */
export function mergeWithNext(candidate: Candidate, groupIndex: number, keep: 'left' | 'right'): Candidate {
  const left = candidate.groups[groupIndex];
  const right = candidate.groups[groupIndex + 1];
  const merged = { blockCount: left.blockCount + right.blockCount, settings: keep === 'left' ? left.settings : right.settings };
  return withGroups(candidate, [...candidate.groups.slice(0, groupIndex), merged, ...candidate.groups.slice(groupIndex + 2)]);
}

/** Splits a group after its first `blocks` blocks; both parts keep the group's settings. */
export function splitGroup(candidate: Candidate, groupIndex: number, blocks: number): Candidate {
  const group = candidate.groups[groupIndex];
  return withGroups(candidate, [
    ...candidate.groups.slice(0, groupIndex),
    { blockCount: blocks, settings: group.settings },
    { blockCount: group.blockCount - blocks, settings: group.settings },
    ...candidate.groups.slice(groupIndex + 1),
  ]);
}

export function withStateBlocks(candidate: Candidate, stateBlocks: number | null): Candidate {
  return { ...candidate, stateBlocks };
}

export function withLayerOptions(candidate: Candidate, layerOptions: number[]): Candidate {
  return { ...candidate, layerOptions: layerOptions.slice() };
}

/** Returns the settings that differ from `settings` in the tiling only (same time batch), then in the time batch only. */
export function settingsNeighbours(settings: GroupSettings, space: SearchSpace): { tilings: GroupSettings[]; timeBatches: GroupSettings[] } {
  return {
    tilings: space.tilings.map((tiling) => withTimeBatch(tiling, settings.timeBatch)),
    timeBatches: space.timeBatches.map((timeBatch) => withTimeBatch(tilingOf(settings), timeBatch)),
  };
}

/** A deterministic source of numbers in [0, 1), such as seedrandom's. */
export type Random = () => number;

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** Draws a candidate with a random partition into groups (each block boundary cut with probability `cutProbability`) and random settings. */
export function randomCandidate(
  random: Random,
  space: SearchSpace,
  blockCount: number,
  layerOptions: number[],
  stateChoices: (number | null)[],
  cutProbability = 0.3,
): Candidate {
  const groups: GroupChoice[] = [{ blockCount: 1, settings: pick(random, space.settings) }];
  for (let block = 1; block < blockCount; block++) {
    if (random() < cutProbability) groups.push({ blockCount: 1, settings: pick(random, space.settings) });
    else groups[groups.length - 1].blockCount += 1;
  }
  return { stateBlocks: pick(random, stateChoices), groups, layerOptions: layerOptions.slice() };
}

/** Applies one random change to a candidate: new settings for a group or a block, a merge, a split, or another state variant. */
export function mutate(random: Random, candidate: Candidate, space: SearchSpace, stateChoices: (number | null)[]): Candidate {
  const blockCount = candidate.groups.reduce((sum, group) => sum + group.blockCount, 0);
  const kinds = ['group', 'block', 'merge', 'split', 'state'] as const;
  for (;;) {
    const kind = pick(random, kinds);
    const groupIndex = Math.floor(random() * candidate.groups.length);
    const group = candidate.groups[groupIndex];
    switch (kind) {
      case 'group':
        return setGroupSettings(candidate, groupIndex, pick(random, space.settings));
      case 'block':
        return isolateBlock(candidate, Math.floor(random() * blockCount), pick(random, space.settings));
      case 'merge':
        if (groupIndex + 1 < candidate.groups.length) return mergeWithNext(candidate, groupIndex, random() < 0.5 ? 'left' : 'right');
        break;
      case 'split':
        if (group.blockCount > 1) return splitGroup(candidate, groupIndex, 1 + Math.floor(random() * (group.blockCount - 1)));
        break;
      case 'state':
        if (stateChoices.length > 1) return withStateBlocks(candidate, pick(random, stateChoices));
        break;
    }
  }
}
