import { estimate, resolveSpikeRates } from '../../src/estimate';
import { MappingSpec } from '../../src/spec/mapping-schema';
import { expectSpecError, tinyHardware } from '../mapping/fixtures';
import { oneConvNetwork, words } from './helpers';

const network = oneConvNetwork({ channels: 2, timesteps: 2, stateful: true });
// Sequential time, loops OY4 OX4 at the buffer: 16 compute cycles and 2 x 2 x 16 = 64 dense accumulates per timestep.
const mapping: MappingSpec = {
  name: 'sparse',
  defaultGroup: { schedule: 'layer-by-layer', timeBatch: 1 },
  layers: { c: { spatial: { K: 2, C: 2 }, temporal: [{ level: 'buffer', loops: [['OY', 4], ['OX', 4]] }] } },
};

describe('spike rates', () => {
  test('per-timestep rates scale operations', () => {
    const result = estimate(network, tinyHardware(), mapping, { sparsity: { c: [0.5, 0.25] } });
    expect(result.layers.map((cost) => cost.operations)).toEqual([32, 16]);
    expect(result.layers.map((cost) => cost.denseOperations)).toEqual([64, 64]);
    expect(result.layers.map((cost) => cost.inputSpikeRate)).toEqual([0.5, 0.25]);
    // Accumulates of 1-bit spikes at 0.5 pJ each; neuron updates cost 0 on this hardware.
    expect(result.totals.computeEnergyPj).toBe(24);
  });

  test('data movement stays dense', () => {
    const dense = estimate(network, tinyHardware(), mapping);
    const sparse = estimate(network, tinyHardware(), mapping, { sparsity: 0.1 });
    expect(words(sparse, { level: 'buffer' })).toBe(words(dense, { level: 'buffer' }));
    expect(sparse.totals.offChipBits).toBe(dense.totals.offChipBits);
  });

  test('a layer left out stays dense', () => {
    const rates = resolveSpikeRates({}, network);
    expect([...rates]).toEqual([1, 1]);
  });

  test('a rate above 1 is rejected', () => {
    expectSpecError(() => resolveSpikeRates({ c: [0.5, 1.5] }, network), '/c/1', /spike rate 1.5 is invalid; give a number from 0 to 1/);
  });

  test('an unknown layer is rejected', () => {
    expectSpecError(() => resolveSpikeRates({ conv: 0.5 }, network), '/conv', /unknown layer 'conv'/);
  });

  test('a wrong number of timesteps is rejected', () => {
    expectSpecError(() => resolveSpikeRates({ c: [0.5] }, network), '/c', /needs one rate per timestep \(2\), got 1/);
  });
});
