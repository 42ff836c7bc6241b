import { buildSearchSpace, divisors, fusedTileSizes } from '../../src/explore/space';
import { resolveNetwork } from '../../src/spec/network';
import { threeBlockNetworkSpec } from './fixtures';

describe('buildSearchSpace', () => {
  const network = resolveNetwork(threeBlockNetworkSpec());

  test('tries divisors of T or every time batch', () => {
    expect(divisors(12)).toEqual([1, 2, 3, 4, 6, 12]);
    expect(buildSearchSpace(network).timeBatches).toEqual([1, 2, 4]);
    expect(buildSearchSpace(network, { timeBatches: 'all' }).timeBatches).toEqual([1, 2, 3, 4]);
  });

  test('fuses with power-of-two tiles narrower than the widest layer', () => {
    expect(fusedTileSizes(network, 'OX')).toEqual([1, 2, 4, 8]);
    const space = buildSearchSpace(network);
    expect(space.tilings).toHaveLength(1 + 2 * 4);
    expect(space.settings).toHaveLength(space.tilings.length * 3);
  });

  test('fuses only with one-column tiles under the STEMS assumptions', () => {
    const space = buildSearchSpace(network, { stemsAssumptions: true });
    expect(space.tilings).toEqual([{ schedule: 'layer-by-layer' }, { schedule: 'fused', tileAxis: 'OX', tileSize: 1 }]);
  });
});
