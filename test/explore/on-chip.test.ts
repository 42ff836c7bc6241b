import { estimate } from '../../src/estimate';
import { requiredBufferBits } from '../../src/explore/on-chip';
import { buildSchedule, defaultMapping, resolveMapping, scheduleMapping } from '../../src/mapping';
import { GroupScheduleSpec, MappingSpec } from '../../src/spec/mapping-schema';
import { resolveHardware } from '../../src/spec/hardware';
import { resolveNetwork } from '../../src/spec/network';
import { smallHardwareSpec, threeBlockNetworkSpec } from './fixtures';

const network = resolveNetwork(threeBlockNetworkSpec());
const unbounded = resolveHardware(smallHardwareSpec(1e12));

const schedules: [string, GroupScheduleSpec[]][] = [
  ['sequential-time layer by layer', [{ blocks: ['b1', 'b2', 'head'], schedule: 'layer-by-layer', timeBatch: 1 }]],
  ['time-batched layer by layer', [{ blocks: ['b1', 'b2', 'head'], schedule: 'layer-by-layer', timeBatch: 4 }]],
  ['time-batched fusion', [{ blocks: ['b1', 'b2', 'head'], schedule: 'fused', tileAxis: 'OX', tileSize: 2, timeBatch: 4 }]],
  [
    'hybrid',
    [
      { blocks: ['b1', 'b2'], schedule: 'fused', tileAxis: 'OY', tileSize: 1, timeBatch: 2 },
      { blocks: ['head'], schedule: 'layer-by-layer', timeBatch: 4 },
    ],
  ],
];

function offChipBits(spec: MappingSpec, bufferBits: number): number {
  return estimate(network, resolveHardware(smallHardwareSpec(bufferBits)), spec, { detail: 'totals' }).totals.offChipBits;
}

describe('requiredBufferBits', () => {
  test.each(schedules)('%s: the required buffer gives the unbounded traffic', (_, groups) => {
    const spec = scheduleMapping(network, unbounded, groups);
    const mapping = resolveMapping(spec, network, unbounded);
    const required = requiredBufferBits(mapping, buildSchedule(network, mapping));
    const minimum = offChipBits(spec, 1e12);

    expect(required).toBeGreaterThan(0);
    expect(offChipBits(spec, required)).toBe(minimum);
    // Not a tight bound: a tensor that leaves the buffer at the peak may cost no extra traffic (a network output that
    // bypasses it is written to DRAM either way), but half the buffer must cost some.
    expect(offChipBits(spec, Math.floor(required / 2))).toBeGreaterThan(minimum);
  });

  test('counts the state of every stateful layer across sequential time', () => {
    const spec = defaultMapping(network, unbounded);
    const mapping = resolveMapping(spec, network, unbounded);
    const nodes = buildSchedule(network, mapping);
    // Sequential time keeps every layer's state for the whole run: conv1 8x16x16, conv2 and conv3 8x8x8, 12 bits each.
    const stateBits = (8 * 16 * 16 + 2 * 8 * 8 * 8) * 12;
    expect(requiredBufferBits(mapping, nodes)).toBeGreaterThanOrEqual(stateBits);
  });
});
