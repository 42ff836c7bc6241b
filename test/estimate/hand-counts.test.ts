import { estimate } from '../../src/estimate';
import { MappingSpec } from '../../src/spec/mapping-schema';
import { tinyHardware } from '../mapping/fixtures';
import { oneConvNetwork, twoConvNetwork, words } from './helpers';

// Hardware (test/mapping/fixtures.ts): array K2 x C2; DRAM and buffer with 16-bit words; a weight SRAM (wsram) with
// 8-bit words; per-PE registers with 1-bit words for output, partial_sum and state. No level inside the buffer stores
// the input, so the array reads it from the buffer every cycle. Bandwidths are 4 words per cycle.

function mapping(timeBatch: number, bufferLoops: [string, number][]): MappingSpec {
  return {
    name: 'hand',
    defaultGroup: { schedule: 'layer-by-layer', timeBatch },
    layers: { c: { spatial: { K: 2, C: 2 }, temporal: [{ level: 'buffer', loops: bufferLoops as [never, number][] }] } },
  };
}

describe('stateless 1x1 conv, C2 T2, time-batched', () => {
  // Node: T2 B1 K2 C2 OY4 OX4 FY1 FX1. Loops: T2 (left over, outermost), OY4, OX4 at the buffer: 32 cycles.
  const network = oneConvNetwork({ channels: 2, timesteps: 2, stateful: false });
  const result = estimate(network, tinyHardware(), mapping(2, [['OY', 4], ['OX', 4]]));

  test('weights filled once', () => {
    // T, OY, OX are all irrelevant to weights, so the wsram tile (K2 x C2 = 4 weights = 16 bits) is filled once:
    // 1 buffer word read, 2 wsram words written.
    expect(words(result, { level: 'buffer', operand: 'weight', direction: 'read' })).toBe(1);
    expect(words(result, { level: 'wsram', operand: 'weight', direction: 'write' })).toBe(2);
    // No per-PE level stores weights: 32 cycles x ceil(16 bits / 8) = 64 wsram reads.
    expect(words(result, { level: 'wsram', operand: 'weight', direction: 'read' })).toBe(64);
  });

  test('input read every cycle', () => {
    // Spatial input footprint C2 x 1 x 1 = 2 bits: 1 buffer word per cycle, 32 cycles.
    expect(words(result, { level: 'buffer', operand: 'input', direction: 'read' })).toBe(32);
  });

  test('partial sums never leave the registers', () => {
    // Register tile: K2 = 2 partial sums. Fills = T2 x OY4 x OX4 = 32 = the distinct tiles (64 outputs / 2), so every
    // fill is a first touch and every write-back is the final value, counted as output.
    expect(words(result, { operand: 'partial_sum' })).toBe(0);
    // 32 output write-backs of 2 x 8 bits: 1 buffer word and 16 register words each.
    expect(words(result, { level: 'buffer', operand: 'output', direction: 'write' })).toBe(32);
    expect(words(result, { level: 'registers', operand: 'output', direction: 'read' })).toBe(512);
  });

  test('off-chip traffic is weights, input and output', () => {
    // Weights 16 bits = 1 DRAM word; input 2 timesteps x 32 bits = 4 words; the network output (2 x 2 x 4 x 4 x 8 =
    // 512 bits = 32 words) is written once it has no reader.
    expect(words(result, { level: 'dram', operand: 'weight', direction: 'read' })).toBe(1);
    expect(words(result, { level: 'dram', operand: 'input', direction: 'read' })).toBe(4);
    expect(words(result, { level: 'dram', operand: 'output', direction: 'write' })).toBe(32);
    expect(result.totals.offChipBits).toBe((1 + 4 + 32) * 16);
    expect(words(result, { level: 'buffer', operand: 'output', direction: 'read' })).toBe(32);
  });

  test('figures split evenly over the two timesteps', () => {
    expect(words(result, { level: 'buffer', operand: 'input', direction: 'read', timestep: 0 })).toBe(16);
    expect(words(result, { level: 'buffer', operand: 'input', direction: 'read', timestep: 1 })).toBe(16);
    // Dense operations: T2 x K2 x C2 x 16 = 128.
    expect(result.layers.map((cost) => cost.denseOperations)).toEqual([64, 64]);
  });

  test('latency adds transfers to the bottleneck', () => {
    // Registers: 512 words x 1 bit at 4 bits per cycle = 128 cycles, above the 32 compute cycles.
    // Off-chip: DRAM has one shared port, so 5 words read (80 bits) and 32 written (512 bits) at 64 bits per cycle add
    // up to 9.25 cycles; the buffer side takes max(512, 80) / 64 = 8. Total 9.25 + 128.
    expect(result.totals.cycles).toBe(137.25);
    expect(result.totals.bound).toBe('bandwidth:registers');
  });
});

describe('time schedules', () => {
  test('sequential time refills the weights per node', () => {
    const network = oneConvNetwork({ channels: 2, timesteps: 2, stateful: false });
    const result = estimate(network, tinyHardware(), mapping(1, [['OY', 4], ['OX', 4]]));
    // Two nodes of one timestep each fill the wsram once each; the weights stay in the buffer between them.
    expect(words(result, { level: 'buffer', operand: 'weight', direction: 'read' })).toBe(2);
    expect(words(result, { level: 'dram', operand: 'weight', direction: 'read' })).toBe(1);
    expect(words(result, { level: 'buffer', operand: 'input', direction: 'read' })).toBe(32);
    expect(result.totals.offChipBits).toBe((1 + 4 + 32) * 16);
  });
});

describe('loop order of a stateless 1x1 conv, C4 T1', () => {
  const network = oneConvNetwork({ channels: 4, timesteps: 1, stateful: false });

  test('C above the output loops rereads partial sums', () => {
    // Loops C2, OY4, OX4 at the buffer (32 cycles). Register tile K2: fills = 2 x 4 x 4 = 32, distinct tiles 16.
    // Partial sums: 32 - 16 = 16 fills read the buffer (16 bits = 1 word) and 16 write-backs are not final.
    const result = estimate(network, tinyHardware(), mapping(1, [['C', 2], ['OY', 4], ['OX', 4]]));
    expect(words(result, { level: 'buffer', operand: 'partial_sum', direction: 'read' })).toBe(16);
    expect(words(result, { level: 'buffer', operand: 'partial_sum', direction: 'write' })).toBe(16);
    expect(words(result, { level: 'registers', operand: 'partial_sum', direction: 'write' })).toBe(16 * 16);
    expect(words(result, { level: 'buffer', operand: 'output', direction: 'write' })).toBe(16);
    // Weights: OY and OX are the innermost irrelevant run; C is relevant, so 2 fills of 16 bits.
    expect(words(result, { level: 'buffer', operand: 'weight', direction: 'read' })).toBe(2);
    expect(words(result, { level: 'wsram', operand: 'weight', direction: 'write' })).toBe(4);
  });

  test('C innermost keeps partial sums in the registers', () => {
    // Loops OY4, OX4, C2: C is irrelevant to partial sums and innermost, so fills = 16 = distinct tiles.
    const result = estimate(network, tinyHardware(), mapping(1, [['OY', 4], ['OX', 4], ['C', 2]]));
    expect(words(result, { operand: 'partial_sum' })).toBe(0);
    expect(words(result, { level: 'buffer', operand: 'output', direction: 'write' })).toBe(16);
    // Weights: C is relevant and innermost, so all 32 iterations refill the wsram.
    expect(words(result, { level: 'buffer', operand: 'weight', direction: 'read' })).toBe(32);
  });
});

describe('stateful 1x1 conv, C2 OY2 OX2 T3', () => {
  // State tile in the registers: K2 = 2 states of 8 bits = 16 bits = 1 buffer word. The node has 2 x 2 x 2 = 8
  // states, so 4 distinct tiles.
  const network = oneConvNetwork({ channels: 2, timesteps: 3, stateful: true, size: 2 });

  test('T above the registers moves state every timestep', () => {
    // Loops T3, OY2, OX2 at the buffer: 12 fills. The first touch of each of the 4 tiles starts on chip, so 12 - 4 = 8
    // reads (one per tile and timestep except the first) and 12 write-backs (one per tile and timestep).
    const result = estimate(network, tinyHardware(), mapping(3, [['T', 3], ['OY', 2], ['OX', 2]]));
    expect(words(result, { level: 'buffer', operand: 'state', direction: 'read' })).toBe(8);
    expect(words(result, { level: 'buffer', operand: 'state', direction: 'write' })).toBe(12);
    expect(words(result, { level: 'registers', operand: 'state', direction: 'write' })).toBe(8 * 16);
    // Spikes: 3 x 2 x 2 x 2 = 24 outputs in tiles of 2: 12 transfers of 2 bits, 1 buffer word each.
    expect(words(result, { level: 'buffer', operand: 'output', direction: 'write' })).toBe(12);
    expect(words(result, { level: 'registers', operand: 'output', direction: 'read' })).toBe(24);
    // State starts on chip and is freed without a write: no state off chip.
    expect(words(result, { level: 'dram', operand: 'state' })).toBe(0);
  });

  test('T below the output loops keeps state in the registers', () => {
    // Loops OY2, OX2, T3: T is irrelevant to state and innermost, so fills = 4 = distinct tiles: no reads, 4 writes.
    const result = estimate(network, tinyHardware(), mapping(3, [['OY', 2], ['OX', 2], ['T', 3]]));
    expect(words(result, { level: 'buffer', operand: 'state', direction: 'read' })).toBe(0);
    expect(words(result, { level: 'buffer', operand: 'state', direction: 'write' })).toBe(4);
  });

  test('sequential time reads state from the second timestep', () => {
    // One node per timestep with loops OY2, OX2: 4 fills each. Timestep 0 starts on chip.
    const result = estimate(network, tinyHardware(), mapping(1, [['T', 3], ['OY', 2], ['OX', 2]]));
    expect([0, 1, 2].map((t) => words(result, { level: 'buffer', operand: 'state', direction: 'read', timestep: t }))).toEqual([0, 4, 4]);
    expect([0, 1, 2].map((t) => words(result, { level: 'buffer', operand: 'state', direction: 'write', timestep: t }))).toEqual([4, 4, 4]);
  });

  test('STEMS mode reads every fill and returns state to DRAM', () => {
    const result = estimate(network, tinyHardware(), mapping(3, [['T', 3], ['OY', 2], ['OX', 2]]), { stemsAssumptions: true });
    expect(words(result, { level: 'buffer', operand: 'state', direction: 'read' })).toBe(12 + 4);
    // 64 bits of state: read from DRAM before the node (4 words) and written back after it (4 words).
    expect(words(result, { level: 'dram', operand: 'state', direction: 'read' })).toBe(4);
    expect(words(result, { level: 'dram', operand: 'state', direction: 'write' })).toBe(4);
  });
});

describe('buffer residency', () => {
  test('bypassed output goes straight to DRAM', () => {
    // Working set: weights 16 + input 64 + output 512 bits does not fit 256; bypassing the output (largest) leaves 80.
    const network = oneConvNetwork({ channels: 2, timesteps: 2, stateful: false });
    const result = estimate(network, tinyHardware(256), mapping(2, [['OY', 4], ['OX', 4]]));
    expect(words(result, { level: 'buffer', operand: 'output' })).toBe(0);
    // The 32 output write-backs of 16 bits become 32 DRAM words; the output is not written a second time.
    expect(words(result, { level: 'dram', operand: 'output', direction: 'write' })).toBe(32);
    expect(words(result, { level: 'dram', operand: 'input', direction: 'read' })).toBe(4);
    expect(words(result, { level: 'buffer', operand: 'input', direction: 'read' })).toBe(32);
  });

  test('eviction writes back dirty state and refetches it', () => {
    // Buffer of 150 bits, sequential time: a@0, b@0, a@1, b@1.
    // a@0 keeps w_a 8 + input 4 + spikes 8 + state 64. b@0 needs w_b 16 + its output 64 while w_a, spikes and state
    // (80 bits) are resident: 70 bits free, 80 missing. w_a and the state both have one future reader and the same
    // layer, time and tile, so the weights go first (clean), then the state (dirty: 64 bits = 4 DRAM words written).
    // a@1 fetches w_a again and reads its state back (4 words). Each b output (64 bits) is a network output.
    const network = twoConvNetwork();
    const result = estimate(network, tinyHardware(150), { name: 'st', defaultGroup: { schedule: 'layer-by-layer', timeBatch: 1 } });
    expect(words(result, { level: 'dram', operand: 'weight', direction: 'read' })).toBe(3);
    expect(words(result, { level: 'dram', operand: 'input', direction: 'read' })).toBe(2);
    expect(words(result, { level: 'dram', operand: 'state', direction: 'write' })).toBe(4);
    expect(words(result, { level: 'dram', operand: 'state', direction: 'read' })).toBe(4);
    expect(words(result, { level: 'dram', operand: 'output', direction: 'write' })).toBe(8);
    expect(words(result, { level: 'dram', operand: 'state', direction: 'write', layer: 'b', timestep: 0 })).toBe(4);
  });

  test('a large buffer keeps everything', () => {
    const network = twoConvNetwork();
    const result = estimate(network, tinyHardware(), { name: 'st', defaultGroup: { schedule: 'layer-by-layer', timeBatch: 1 } });
    // Weights 1 + 1 words, input 1 + 1, outputs 4 + 4.
    expect(words(result, { level: 'dram', operand: 'weight' })).toBe(2);
    expect(words(result, { level: 'dram', operand: 'state' })).toBe(0);
    expect(result.totals.offChipBits).toBe(12 * 16);
  });

  test('state kept in DRAM always bypasses', () => {
    const network = twoConvNetwork();
    const result = estimate(network, tinyHardware(), {
      name: 'st',
      defaultGroup: { schedule: 'layer-by-layer', timeBatch: 1 },
      layers: { a: { spatial: { K: 2 }, stateLevel: 'dram' } },
    });
    expect(words(result, { level: 'buffer', operand: 'state' })).toBe(0);
    // No temporal loops mapped, so OY2 and OX2 are left over at the buffer: 4 fills per timestep of a 2-state tile
    // (16 bits = 1 DRAM word). The first timestep starts on chip, so reads 0 + 4 and writes 4 + 4.
    expect(words(result, { level: 'dram', operand: 'state', direction: 'read' })).toBe(4);
    expect(words(result, { level: 'dram', operand: 'state', direction: 'write' })).toBe(8);
  });
});
