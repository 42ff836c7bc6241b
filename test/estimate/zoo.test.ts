import { estimate } from '../../src/estimate';
import { compareOffChipTraffic } from '../../src/estimate/schedule-comparison';
import { CostResult } from '../../src/metrics/types';
import { loadHardware, loadMappingSpec, loadNetwork } from '../../src/spec/load';
import { ResolvedNetwork } from '../../src/spec/network';
import { words } from './helpers';

function dramBits(result: CostResult, operand: 'weight' | 'state' | 'input' | 'output', direction: 'read' | 'write'): number {
  return words(result, { level: 'dram', operand, direction }) * 64;
}

function denseOperations(result: CostResult, layers: (name: string) => boolean): number {
  return result.layers.filter((cost) => layers(cost.layer)).reduce((sum, cost) => sum + cost.denseOperations, 0);
}

/** Estimates on the 64 MB buffer in STEMS mode: everything stays on chip, so DRAM moves each weight once and each state twice. */
function stemsOnLargeBuffer(network: ResolvedNetwork, preset: string): CostResult {
  return estimate(network, loadHardware('meta-prototype-like-gb64m'), loadMappingSpec(preset).spec, { stemsAssumptions: true });
}

describe('zoo totals through the estimate', () => {
  test('sew-resnet18 state, weights and operations', () => {
    const network = loadNetwork('sew-resnet18');
    const result = stemsOnLargeBuffer(network, 'sew-resnet18-tb-lbl');
    expect(dramBits(result, 'state', 'read')).toBe(46_362_624);
    expect(dramBits(result, 'state', 'write')).toBe(46_362_624);
    expect(dramBits(result, 'weight', 'read')).toBe(4_751_872);
    expect(denseOperations(result, (layer) => layer === 'L0')).toBe(33_554_432);
    const convs = new Set(network.layers.filter((layer) => layer.type === 'conv2d' && layer.name !== 'L0').map((layer) => layer.name));
    expect(denseOperations(result, (layer) => convs.has(layer))).toBe(26_073_890_816);
  });

  test('sew-resnet18 with state in the last five blocks', () => {
    const network = loadNetwork('sew-resnet18', { keepStateInLastBlocks: 5 });
    const result = stemsOnLargeBuffer(network, 'sew-resnet18-tb-lbl');
    expect(dramBits(result, 'state', 'read')).toBe(2_322_432);
  });

  test('red-lif state and weights', () => {
    const network = loadNetwork('red-lif');
    const result = stemsOnLargeBuffer(network, 'red-lif-tb-lbl');
    expect(dramBits(result, 'state', 'write')).toBe(14_853_120);
    expect(dramBits(result, 'weight', 'read')).toBe(12_423_936);
  });
});

describe('sew-resnet18 off-chip traffic by schedule', () => {
  const weightBits = 4_751_872;
  // 16 timesteps of a 2 x 128 x 128 input of 4 bits, and the b7.pool spikes: 128 channels x 1 x 1 x 16 timesteps.
  const inputBits = 16 * 2 * 128 * 128 * 4;
  const outputBits = 128 * 16;
  const presets = ['st-lbl', 'tb-lbl', 'fused', 'tb-fused', 'hybrid'].map((schedule) => `sew-resnet18-${schedule}`);

  test('64 MB buffer moves only weights, input and output', () => {
    const [row] = compareOffChipTraffic('sew-resnet18', ['meta-prototype-like-gb64m'], presets);
    for (const bits of row.offChipBits) expect(bits).toBe(weightBits + inputBits + outputBits);
  });

  test('64 MB buffer in STEMS mode adds two passes of state', () => {
    const [row] = compareOffChipTraffic('sew-resnet18', ['meta-prototype-like-gb64m'], presets, { stemsAssumptions: true });
    for (const bits of row.offChipBits) expect(bits).toBe(weightBits + 2 * 46_362_624 + inputBits + outputBits);
  });

  test('1 MB buffer orders the schedules', () => {
    const [row] = compareOffChipTraffic('sew-resnet18', ['meta-prototype-like'], presets);
    const [sequentialLbl, batchedLbl, sequentialFused, batchedFused, hybrid] = row.offChipBits;
    // Time batching keeps each layer's state in the registers for all timesteps of a node.
    expect(batchedLbl).toBeLessThan(sequentialLbl);
    // A time-batched one-column tile needs its state only during its node, so no state leaves the chip.
    expect(batchedFused).toBe(weightBits + inputBits + outputBits);
    expect(hybrid).toBeLessThan(batchedLbl);
    // Sequential-time fusion keeps 46 Mbit of state per timestep live, far beyond 8 Mbit of buffer.
    expect(sequentialFused).toBeGreaterThan(batchedLbl);
    expect(row.worstOverBest).toBeGreaterThan(100);
  });

  test('time batching moves less state on 1 MB', () => {
    const network = loadNetwork('sew-resnet18');
    const hardware = loadHardware('meta-prototype-like');
    const sequential = estimate(network, hardware, loadMappingSpec('sew-resnet18-st-lbl').spec);
    const batched = estimate(network, hardware, loadMappingSpec('sew-resnet18-tb-lbl').spec);
    const stateBits = (result: CostResult) => dramBits(result, 'state', 'read') + dramBits(result, 'state', 'write');
    expect(stateBits(batched)).toBeLessThan(stateBits(sequential));
    // Sequential time reads L0's 12.6 Mbit of state from DRAM in each of the 15 later timesteps.
    expect(words(sequential, { level: 'dram', operand: 'state', direction: 'read', layer: 'L0' }) * 64).toBe(15 * 64 * 128 * 128 * 12);
  });
});
