import seedrandom from 'seedrandom';
import { Candidate } from '../../src/explore/candidate';
import { isolateBlock, mergeWithNext, mutate, randomCandidate, splitGroup } from '../../src/explore/moves';
import { buildSearchSpace, GroupSettings } from '../../src/explore/space';
import { resolveNetwork } from '../../src/spec/network';
import { threeBlockNetworkSpec } from './fixtures';

const lbl: GroupSettings = { schedule: 'layer-by-layer', timeBatch: 1 };
const fused: GroupSettings = { schedule: 'fused', tileAxis: 'OX', tileSize: 2, timeBatch: 4 };

function candidate(groups: [number, GroupSettings][]): Candidate {
  return { stateBlocks: null, groups: groups.map(([blockCount, settings]) => ({ blockCount, settings })), layerOptions: [0, 0] };
}

const blockCounts = (value: Candidate) => value.groups.map((group) => group.blockCount);

describe('moves', () => {
  test('isolateBlock splits the group around the block', () => {
    const result = isolateBlock(candidate([[5, lbl]]), 2, fused);
    expect(blockCounts(result)).toEqual([2, 1, 2]);
    expect(result.groups.map((group) => group.settings)).toEqual([lbl, fused, lbl]);
  });

  test('isolateBlock at a group edge leaves no empty group', () => {
    const result = isolateBlock(candidate([[3, lbl], [2, fused]]), 0, fused);
    expect(blockCounts(result)).toEqual([1, 2, 2]);
  });

  test('mergeWithNext keeps the chosen settings', () => {
    const start = candidate([[2, lbl], [3, fused]]);
    expect(mergeWithNext(start, 0, 'left').groups).toEqual([{ blockCount: 5, settings: lbl }]);
    expect(mergeWithNext(start, 0, 'right').groups).toEqual([{ blockCount: 5, settings: fused }]);
  });

  test('splitGroup keeps the settings on both parts', () => {
    expect(splitGroup(candidate([[4, fused]]), 0, 1).groups).toEqual([
      { blockCount: 1, settings: fused },
      { blockCount: 3, settings: fused },
    ]);
  });

  test('random candidates and mutations cover every block', () => {
    const network = resolveNetwork(threeBlockNetworkSpec());
    const space = buildSearchSpace(network);
    const random = seedrandom('moves');
    for (let index = 0; index < 200; index++) {
      const sample = randomCandidate(random, space, 3, [0, 0], [null, 0, 1]);
      expect(blockCounts(sample).reduce((a, b) => a + b, 0)).toBe(3);
      const mutated = mutate(random, sample, space, [null, 0, 1]);
      expect(blockCounts(mutated).reduce((a, b) => a + b, 0)).toBe(3);
      expect(blockCounts(mutated).every((count) => count > 0)).toBe(true);
    }
  });
});
