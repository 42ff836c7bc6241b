import { estimate, resolveSpikeRates } from '../../src/estimate';
import { resolveHardware, ResolvedHardware } from '../../src/spec/hardware';
import { MappingSpec } from '../../src/spec/mapping-schema';
import { expectSpecError, tinyHardware, tinyHardwareSpec } from '../mapping/fixtures';
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

  test('buffer and off-chip traffic stay dense', () => {
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

/**
 * The fixture hardware (test/mapping/fixtures.ts) with a weight SRAM that reads one 8-bit word per cycle, a buffer that
 * writes 32 bits per cycle and registers that move 1024 bits per cycle, so that dense weight reads bound the latency.
 */
function weightBoundHardware(eventDriven = true): ResolvedHardware {
  const spec = tinyHardwareSpec();
  spec.peArray.eventDriven = eventDriven;
  const [, buffer, wsram, registers] = spec.levels;
  buffer.writeBandwidthBitsPerCycle = 32;
  wsram.readBandwidthBitsPerCycle = 8;
  registers.readBandwidthBitsPerCycle = 1024;
  registers.writeBandwidthBitsPerCycle = 1024;
  return resolveHardware(spec);
}

describe('weight reads of an event-driven array', () => {
  // One time-batched node: T2 B1 K2 C2 OY4 OX4 on the K2 x C2 array, loops T2 (left over), OY4, OX4 at the buffer:
  // 32 dense compute cycles, 16 per timestep. Weights sit in the wsram and no per-PE level stores them, so the array
  // reads the K2 x C2 footprint (16 bits = 2 wsram words) every cycle that does work.
  const network = oneConvNetwork({ channels: 2, timesteps: 2, stateful: true });
  const batched: MappingSpec = { ...mapping, defaultGroup: { schedule: 'layer-by-layer', timeBatch: 2 } };
  const dense = estimate(network, weightBoundHardware(), batched);
  const sparse = estimate(network, weightBoundHardware(), batched, { sparsity: 0.25 });

  test('wsram reads follow the rate', () => {
    // Dense: 32 cycles x 2 words = 64. At 0.25: 8 cycles x 2 words = 16, 8 per timestep.
    expect(words(dense, { level: 'wsram', operand: 'weight', direction: 'read' })).toBe(64);
    expect(words(sparse, { level: 'wsram', operand: 'weight', direction: 'read' })).toBe(16);
    expect([0, 1].map((t) => words(sparse, { level: 'wsram', operand: 'weight', direction: 'read', timestep: t }))).toEqual([8, 8]);
  });

  test('other traffic stays dense', () => {
    // Input bitmap: C2 x 1 bit per cycle = 1 buffer word per dense cycle, so 32 whatever the spikes.
    expect(words(sparse, { level: 'buffer', operand: 'input', direction: 'read' })).toBe(32);
    // The wsram is filled once: 1 buffer word read, 2 wsram words written.
    expect(words(sparse, { level: 'buffer', operand: 'weight', direction: 'read' })).toBe(1);
    expect(words(sparse, { level: 'wsram', operand: 'weight', direction: 'write' })).toBe(2);
    // State tiles of K2 (16 bits = 1 buffer word): 32 fills, 16 of them first touches, so 16 reads and 32 writes.
    expect(words(sparse, { level: 'buffer', operand: 'state', direction: 'read' })).toBe(16);
    expect(words(sparse, { level: 'buffer', operand: 'state', direction: 'write' })).toBe(32);
    // Spikes: 64 outputs in tiles of 2, one buffer word each.
    expect(words(sparse, { level: 'buffer', operand: 'output', direction: 'write' })).toBe(32);
    for (const level of ['dram', 'buffer', 'registers']) {
      expect({ level, words: words(sparse, { level }) }).toEqual({ level, words: words(dense, { level }) });
    }
  });

  test('energy drops by the skipped reads', () => {
    // 64 - 16 = 48 wsram reads at 1 pJ each.
    expect(dense.totals.memoryEnergyPj - sparse.totals.memoryEnergyPj).toBe(48);
  });

  test('latency leaves the wsram bound', () => {
    // Off-chip: DRAM reads weights (1 word) and input (4), writes the output (4) on one port: 9 x 16 / 64 = 2.25 cycles;
    // the buffer writes 5 words at 32 bits per cycle: 2.5 cycles. So 2.5 cycles.
    // Buffer writes: (32 state + 32 spikes) x 16 bits / 32 = 32 cycles; its reads take (1 + 32 + 16) x 16 / 64 = 12.25.
    // Dense: compute 32, wsram 64 words x 8 bits / 8 = 64 cycles. Total 2.5 + 64.
    expect(dense.totals.cycles).toBe(66.5);
    expect(dense.totals.bound).toBe('bandwidth:wsram');
    // At 0.25: compute 8, wsram 16, so the dense buffer writes bound it. Total 2.5 + 32, split evenly.
    expect(sparse.totals.cycles).toBe(34.5);
    expect(sparse.totals.bound).toBe('bandwidth:buffer');
    expect(sparse.layers.map((cost) => cost.cycles)).toEqual([17.25, 17.25]);
  });

  test('per-timestep rates split the reads', () => {
    // 16 dense cycles per timestep x 2 words: 0.5 -> 16, 0.25 -> 8. The node moves 24 words, so its wsram takes 24
    // cycles, still below the 32 of the buffer.
    const result = estimate(network, weightBoundHardware(), batched, { sparsity: { c: [0.5, 0.25] } });
    expect([0, 1].map((t) => words(result, { level: 'wsram', operand: 'weight', direction: 'read', timestep: t }))).toEqual([16, 8]);
    expect([0, 1].map((t) => words(result, { level: 'buffer', operand: 'input', direction: 'read', timestep: t }))).toEqual([16, 16]);
    expect(result.totals.cycles).toBe(34.5);
  });

  test('a dense array reads every cycle', () => {
    const result = estimate(network, weightBoundHardware(false), batched, { sparsity: 0.25 });
    expect(words(result, { level: 'wsram', operand: 'weight', direction: 'read' })).toBe(64);
    expect(result.totals.cycles).toBe(66.5);
  });

  test('bypassed weights read from DRAM', () => {
    // No wsram, and a 64-bit buffer. Network: 1x1 conv over 8 channels of 1 x 1, T2. Working set: weights K2 x C8 x 4 =
    // 64 bits, input 2 x 8, spikes 2 x 2, state 2 x 8 bits: 100 bits. The weights are the largest, so they bypass the
    // buffer, and the array reads its K2 x C2 footprint (16 bits = 1 DRAM word) from DRAM. Loops T2 (left over) and
    // C4: 8 dense cycles, 4 per timestep.
    const spec = tinyHardwareSpec(64);
    spec.levels.splice(2, 1);
    const hardware = resolveHardware(spec);
    const small = oneConvNetwork({ channels: 8, timesteps: 2, stateful: true, size: 1 });
    const cLoop: MappingSpec = {
      name: 'c-loop',
      defaultGroup: { schedule: 'layer-by-layer', timeBatch: 2 },
      layers: { c: { spatial: { K: 2, C: 2 }, temporal: [{ level: 'buffer', loops: [['C', 4]] }] } },
    };
    const dramReads = (result: ReturnType<typeof estimate>) =>
      [0, 1].map((t) => words(result, { level: 'dram', operand: 'weight', direction: 'read', timestep: t }));
    expect(dramReads(estimate(small, hardware, cLoop))).toEqual([4, 4]);
    expect(dramReads(estimate(small, hardware, cLoop, { sparsity: { c: [0.5, 0.25] } }))).toEqual([2, 1]);
    expect(words(estimate(small, hardware, cLoop, { sparsity: 0.25 }), { level: 'buffer', operand: 'weight' })).toBe(0);
  });
});
