import { estimate } from '../../src/estimate';
import { defaultMapping } from '../../src/mapping';
import { MappingSpec } from '../../src/spec/mapping-schema';
import { simulate } from '../../src/simulate';
import { denseNetwork, resolve, tinyHardware, twoLayerSnn } from './fixtures';

/** Total words of one level, operand and direction in a result. */
function words(result: ReturnType<typeof simulate>, level: string, operand: string, direction: 'read' | 'write'): number {
  return result.cost.accesses
    .filter((record) => record.level === level && record.operand === operand && record.direction === direction)
    .reduce((sum, record) => sum + record.words, 0);
}

/** A dense layer with its C loop at the buffer, so each of the C steps fills a weight and an input tile. */
function cLoopMapping(channels: number): MappingSpec {
  return {
    name: 'c-loop-at-buffer',
    defaultGroup: { schedule: 'layer-by-layer', timeBatch: 1 },
    layers: { fc: { spatial: { K: 2 }, temporal: [{ level: 'gb', loops: [['C', channels]] }] } },
  };
}

describe('hand-computed cycle counts', () => {
  test('single tile', () => {
    // Dense 1 -> 2 on 2 PEs: one node, one step of one cycle; every word is 8 bits and every
    // SRAM and DRAM port moves one word per cycle.
    // Prologue: weights (2 words) DRAM -> gb [0, 2]; network input (1 word) [2, 3].
    // Step: weight fill gb -> wsram [3, 5]; input fill waits for the gb read port: [5, 6].
    // Compute at 6: 1 PE cycle, but the array reads 2 weight words from wsram: [6, 8].
    // The final partial sum is the output: 16 register bits -> 2 gb words [8, 10].
    // Epilogue: the network output (2 words) gb -> DRAM [10, 12].
    const network = denseNetwork(1, 2);
    const hardware = tinyHardware();
    const result = simulate(resolve(defaultMapping(network, hardware), network, hardware));
    expect(result.cost.totals.cycles).toBe(12);
    expect(words(result, 'dram', 'weight', 'read')).toBe(2);
    expect(words(result, 'dram', 'input', 'read')).toBe(1);
    expect(words(result, 'dram', 'output', 'write')).toBe(2);
    expect(words(result, 'wsram', 'weight', 'read')).toBe(2);
    expect(words(result, 'reg', 'output', 'read')).toBe(16);
    expect(words(result, 'gb', 'output', 'write')).toBe(2);
    expect(result.cost.totals.operations).toBe(2);
  });

  test('bandwidth-bound steps', () => {
    // Dense 64 -> 2 with C = 64 at the buffer: 64 steps of 1 PE cycle. Prologue: 128 weight
    // words then 64 input words on the one DRAM port: [0, 192].
    // Each step reads 2 weight words and 1 input word from gb, so the gb read port needs 3
    // cycles per step while the array needs 2 (it reads 2 weight words from wsram per cycle).
    // Start-up: step 0 ready at 197, step 1 at 198, step 2 at 202; from then on step s is ready
    // at 202 + 3 (s - 2) and computes 2 cycles, so step 63 ends at 202 + 183 + 2 = 387.
    // The output write-back takes [387, 389] and the network output goes to DRAM in [389, 391].
    const network = denseNetwork(64, 2);
    const hardware = tinyHardware();
    const mapping = resolve(cLoopMapping(64), network, hardware);
    const result = simulate(mapping);
    expect(result.cost.totals.cycles).toBe(391);
    expect(words(result, 'gb', 'weight', 'read')).toBe(128);
    expect(words(result, 'gb', 'input', 'read')).toBe(64);

    // The analytical model: 194 cycles of DRAM transfers plus 192 cycles of gb reads.
    const analytical = estimate(network, hardware, mapping);
    expect(analytical.totals.cycles).toBe(386);
    expect(result.cost.totals.cycles / analytical.totals.cycles).toBeLessThan(1.02);
  });

  test('double-buffer overlap', () => {
    // The same layer with single-buffered SRAMs: a step's fills wait for the previous compute,
    // so each step takes 3 cycles of fills plus 2 of compute: step s computes in
    // [195 + 5 s, 197 + 5 s], step 63 ends at 512, then [512, 514] and [514, 516] as before.
    const network = denseNetwork(64, 2);
    const single = simulate(resolve(cLoopMapping(64), network, tinyHardware({ doubleBuffered: false })), {});
    const double = simulate(resolve(cLoopMapping(64), network, tinyHardware({ doubleBuffered: true })), {});
    expect(single.cost.totals.cycles).toBe(516);
    expect(double.cost.totals.cycles).toBe(391);
    // Buffering changes only the timing, never what moves.
    expect(single.cost.accesses).toEqual(double.cost.accesses);
  });

  test('spill and refetch', () => {
    // Two stateful layers of 4 neurons over 2 timesteps, sequential time, in a 180-bit buffer.
    // Tensors: weights 128 bits each, state 32 bits each, spikes 4 bits per timestep.
    // fc2 at t0 needs 164 missing bits with 164 resident: fc1's weights (clean) and then fc1's
    // state (dirty, read again at t1) are evicted, so the state is spilled to DRAM.
    // fc1 at t1 refetches its weights and state and evicts fc2's weights and (spilled) state;
    // fc2 at t1 refetches both.
    const network = twoLayerSnn(2);
    const hardware = tinyHardware({ peK: 4, bufferBits: 180 });
    const mapping = resolve(defaultMapping(network, hardware), network, hardware);
    const result = simulate(mapping);
    expect(words(result, 'dram', 'weight', 'read')).toBe(4 * 16);
    expect(words(result, 'dram', 'state', 'write')).toBe(2 * 4);
    expect(words(result, 'dram', 'state', 'read')).toBe(2 * 4);
    expect(words(result, 'dram', 'input', 'read')).toBe(2);
    expect(words(result, 'dram', 'output', 'write')).toBe(2);
    // The spill of fc1's state is caused by fc2's node at t0, and its refetch by fc1 at t1.
    const stateWrites = result.cost.accesses.filter((record) => record.level === 'dram' && record.operand === 'state' && record.direction === 'write');
    expect(stateWrites.map((record) => [record.layer, record.timestep])).toEqual([
      ['fc1', 1],
      ['fc2', 0],
    ]);

    // A buffer large enough for everything moves each tensor once and spills nothing.
    const roomy = simulate(resolve(defaultMapping(network, tinyHardware({ peK: 4 })), network, tinyHardware({ peK: 4 })));
    expect(words(roomy, 'dram', 'weight', 'read')).toBe(2 * 16);
    expect(words(roomy, 'dram', 'state', 'write')).toBe(0);
  });
});

describe('occupancy', () => {
  test('double buffering holds two tiles', () => {
    // A weight tile is 2 x 8 = 16 bits: a double-buffered weight SRAM holds two of them at once.
    const network = denseNetwork(64, 2);
    const spec: MappingSpec = {
      name: 'c-loop-at-buffer',
      defaultGroup: { schedule: 'layer-by-layer', timeBatch: 1 },
      layers: { fc: { spatial: { K: 2 }, temporal: [{ level: 'gb', loops: [['C', 64]] }] } },
    };
    const peak = (doubleBuffered: boolean) =>
      simulate(resolve(spec, network, tinyHardware({ doubleBuffered }))).components.find((component) => component.name === 'wsram')!.peakOccupiedBits;
    expect(peak(true)).toBe(32);
    expect(peak(false)).toBe(16);
  });
});
