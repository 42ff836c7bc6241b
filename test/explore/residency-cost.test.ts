import { bypassWork } from '../../src/explore/residency-cost';
import { buildSchedule, resolveMapping, scheduleMapping } from '../../src/mapping';
import { resolveHardware } from '../../src/spec/hardware';
import { resolveNetwork } from '../../src/spec/network';
import { smallHardwareSpec, threeBlockNetworkSpec } from './fixtures';

const network = resolveNetwork(threeBlockNetworkSpec());

function work(bufferBits: number): number {
  const hardware = resolveHardware(smallHardwareSpec(bufferBits));
  const spec = scheduleMapping(network, hardware, [{ blocks: network.blocks, schedule: 'layer-by-layer', timeBatch: 4 }]);
  const mapping = resolveMapping(spec, network, hardware);
  return bypassWork(mapping, buildSchedule(network, mapping));
}

describe('bypassWork', () => {
  test('is zero when every working set fits', () => {
    expect(work(1 << 24)).toBe(0);
  });

  test('sums the cubed tensor counts of nodes that do not fit', () => {
    // One node per layer: conv1 reads weights, 4 input timesteps, output, state (7 tensors); pool1 its producer and
    // output (2); conv2 and conv3 weights, producer, output, state (4 each); add two producers and output (3); fc
    // weights, producer, output (3).
    expect(work(256)).toBe(7 ** 3 + 2 ** 3 + 4 ** 3 + 4 ** 3 + 3 ** 3 + 3 ** 3);
  });
});
