import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeTraceFile } from '../../src/capture/trace-io';
import { TraceFile } from '../../src/capture/trace-types';
import { MappingSpec } from '../../src/spec/mapping-schema';
import { simulate, SpikeFrames, TraceActivity } from '../../src/simulate';
import { readSpikeFrames } from '../../src/simulate/activity/trace-file';
import { denseNetwork, resolve, tinyHardware } from './fixtures';

/** Dense 64 -> 2 with its C loop at the buffer: one step of one cycle per input channel. */
const cLoopMapping: MappingSpec = {
  name: 'c-loop-at-buffer',
  defaultGroup: { schedule: 'layer-by-layer', timeBatch: 1 },
  layers: { fc: { spatial: { K: 2 }, temporal: [{ level: 'gb', loops: [['C', 64]] }] } },
};

/** Dense 64 -> 2 with its loops at the input SRAM, inside one step: the weight SRAM stores all 128 weights. */
function insideStepMapping(timeBatch: number, loops: [string, number][]): MappingSpec {
  return {
    name: 'loops-inside-step',
    defaultGroup: { schedule: 'layer-by-layer', timeBatch },
    layers: { fc: { spatial: { K: 2 }, temporal: [{ level: 'isram', loops: loops as [never, number][] }] } },
  };
}

function inputFrames(timesteps: number, activeChannels: (t: number) => number[]): SpikeFrames {
  const frames = Array.from({ length: timesteps }, (_, t) => {
    const frame = new Uint8Array(64);
    for (const channel of activeChannels(t)) frame[channel] = 1;
    return frame;
  });
  return { network: 'tiny-dense', timesteps, tensors: new Map([['input', { shape: { channels: 64, height: 1, width: 1 }, frames }]]) };
}

describe('trace-driven work', () => {
  test('spikes set the compute of each step', () => {
    // t0: 16 nonzero channels, t1: 4. A step computes only if its channel is nonzero, so the
    // array does 2 operations (one per PE) for each nonzero channel.
    const network = denseNetwork(64, 2, 2);
    const hardware = tinyHardware();
    const mapping = resolve(cLoopMapping, network, hardware);
    const activity = new TraceActivity(inputFrames(2, (t) => (t === 0 ? [...Array(16).keys()] : [60, 61, 62, 63])), 'synthetic');
    const sparse = simulate(mapping, { activity });
    const dense = simulate(mapping);
    const layers = sparse.cost.layers;
    expect(layers.map((entry) => entry.operations)).toEqual([32, 8]);
    expect(layers.map((entry) => entry.denseOperations)).toEqual([128, 128]);
    expect(layers.map((entry) => entry.inputSpikeRate)).toEqual([0.25, 0.0625]);
    expect(sparse.components.find((component) => component.kind === 'pe-array')!.busyCycles).toBe(20);
    expect(dense.components.find((component) => component.kind === 'pe-array')!.busyCycles).toBe(128);
    // The array reads its 2 weights (2 wsram words) only in the cycles it computes: 16 and 4, against 64 dense
    // cycles per timestep.
    const weightReads = (result: typeof sparse) =>
      result.cost.accesses.filter((record) => record.level === 'wsram' && record.operand === 'weight' && record.direction === 'read');
    expect(weightReads(sparse).map((record) => record.words)).toEqual([32, 8]);
    expect(weightReads(dense).map((record) => record.words)).toEqual([128, 128]);
    // Everything else moves as dense bitmaps whatever the spikes.
    const others = (result: typeof sparse) => result.cost.accesses.filter((record) => !weightReads(result).includes(record));
    expect(others(sparse)).toEqual(others(dense));
    expect(others(sparse).length).toBeGreaterThan(0);
    // Spike accumulates cost 0.5 pJ on this array; these inputs are 8-bit, so each is a MAC at 1 pJ.
    expect(sparse.cost.totals.computeEnergyPj).toBe(40);
  });

  test('weight reads follow the active cycles', () => {
    // One timestep, one step of 64 dense cycles (C64 at the isram); every SRAM and DRAM port moves one 8-bit word per
    // cycle. Prologue: 128 weight words and then 64 input words from DRAM, [0, 192]. Step fills: 128 weight words
    // gb -> wsram [192, 320], then 64 input words on the same gb read port [320, 384].
    // The array reads 2 weight words (wsram) and 1 input word (isram) per cycle that it reads them.
    // Dense: 64 cycles from 384; the wsram reads take [384, 512], 64 cycles longer than the compute.
    // 16 of 64 channels spike: 16 cycles and 32 weight words [384, 416], but the input bitmap is still scanned dense,
    // [384, 448], so the isram sets the end, 48 cycles after the compute.
    // Then the network output (2 words) goes to DRAM: 514 and 450 cycles.
    const network = denseNetwork(64, 2, 1);
    const hardware = tinyHardware();
    const mapping = resolve(insideStepMapping(1, [['C', 64]]), network, hardware);
    const dense = simulate(mapping);
    const sparse = simulate(mapping, { activity: new TraceActivity(inputFrames(1, () => [...Array(16).keys()]), 'synthetic') });
    const wordsOf = (result: typeof dense, level: string, operand: string, direction: 'read' | 'write') =>
      result.cost.accesses
        .filter((record) => record.level === level && record.operand === operand && record.direction === direction)
        .reduce((sum, record) => sum + record.words, 0);

    expect(wordsOf(dense, 'wsram', 'weight', 'read')).toBe(128);
    expect(wordsOf(sparse, 'wsram', 'weight', 'read')).toBe(32);
    expect(wordsOf(sparse, 'wsram', 'weight', 'write')).toBe(128);
    expect(wordsOf(sparse, 'isram', 'input', 'read')).toBe(64);
    expect(wordsOf(sparse, 'gb', 'output', 'write')).toBe(2);
    expect(sparse.components.find((component) => component.name === 'wsram')!.readWords).toBe(32);
    expect(sparse.components.find((component) => component.kind === 'pe-array')!.busyCycles).toBe(16);

    expect(dense.cost.totals.cycles).toBe(514);
    expect(sparse.cost.totals.cycles).toBe(450);
    expect(dense.cost.layers[0].stallCycles['bandwidth:wsram']).toBe(64);
    expect(sparse.cost.layers[0].stallCycles['bandwidth:isram']).toBe(48);
    expect(sparse.cost.layers[0].stallCycles['bandwidth:wsram']).toBeUndefined();
    // 96 fewer wsram reads at 1 pJ each, and 96 fewer MACs at 1 pJ each.
    expect(dense.cost.totals.memoryEnergyPj - sparse.cost.totals.memoryEnergyPj).toBe(96);
    expect(dense.cost.totals.computeEnergyPj - sparse.cost.totals.computeEnergyPj).toBe(96);
  });

  test('weight reads go to their timestep', () => {
    // Both timesteps inside one step (T2 C64 at the isram): 64 dense cycles per timestep. t0 has 16 spikes and t1 has
    // 4, so the array computes 16 and 4 cycles and reads 32 and 8 weight words. The input bitmap (64 words per
    // timestep) and the weight fill (128 words, split over the node's 2 timesteps) stay dense.
    const network = denseNetwork(64, 2, 2);
    const mapping = resolve(insideStepMapping(2, [['T', 2], ['C', 64]]), network, tinyHardware());
    const activity = new TraceActivity(inputFrames(2, (t) => (t === 0 ? [...Array(16).keys()] : [60, 61, 62, 63])), 'synthetic');
    const result = simulate(mapping, { activity });
    const perTimestep = (level: string, operand: string, direction: 'read' | 'write') =>
      [0, 1].map((t) =>
        result.cost.accesses
          .filter((record) => record.timestep === t && record.level === level && record.operand === operand && record.direction === direction)
          .reduce((sum, record) => sum + record.words, 0),
      );
    expect(perTimestep('wsram', 'weight', 'read')).toEqual([32, 8]);
    expect(perTimestep('isram', 'input', 'read')).toEqual([64, 64]);
    expect(perTimestep('wsram', 'weight', 'write')).toEqual([64, 64]);
  });

  test('a silent input skips all compute', () => {
    const network = denseNetwork(64, 2, 1);
    const hardware = tinyHardware();
    const result = simulate(resolve(cLoopMapping, network, hardware), { activity: new TraceActivity(inputFrames(1, () => []), 'silent') });
    expect(result.cost.totals.operations).toBe(0);
    expect(result.components.find((component) => component.kind === 'pe-array')!.busyCycles).toBe(0);
  });

  test('trace file adapter reads bitmaps and rates', () => {
    const network = denseNetwork(64, 2, 2);
    const bitmap = (channels: number[]) => {
      const bytes = new Uint8Array(8);
      for (const channel of channels) bytes[channel >> 3] |= 1 << (channel & 7);
      return bytes;
    };
    const layerInfo = { name: 'fc', type: 'dense', neuronModel: 'none', channels: 2, height: 1, width: 1, threshold: 1, decay: 0, stateful: false, tileRows: 0, tileColumns: 0, inputs: ['input'] };
    const record = (t: number) => ({ timestep: t, layerIndex: 0, spikeCount: 1, firingRate: 0.5, outputSum: 1, spikeBitmap: new Uint8Array([1]), channelCounts: [], tileCounts: [], state: null });
    const trace: TraceFile = {
      header: {
        formatVersion: 1, generator: 'test', networkName: 'tiny-dense', networkSpecSha256: '', weightsSha256: '', weightsOrigin: 'calibrated, not trained',
        weightsSeed: 0, backend: 'cpu', timesteps: 2, binWidthUs: 1000, tileHeight: 1, tileWidth: 1, hasBitmaps: true,
        input: { channels: 64, height: 1, width: 1, bits: 8 }, layers: [layerInfo],
      },
      samples: [
        {
          sampleId: 's0', sourceFile: 'x', sourceSha256: '', classSpikeCounts: [], startUs: 0, eventsInFile: 3,
          input: [
            { timestep: 0, eventCount: 2, nonzeroCount: 2, bitmap: bitmap([0, 9]) },
            { timestep: 1, eventCount: 1, nonzeroCount: 1, bitmap: bitmap([63]) },
          ],
          records: [record(0), record(1)],
        },
      ],
    };
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'stemsim-simulate-'));
    const file = path.join(folder, 'tiny.trace.pb');
    writeTraceFile(file, trace);

    const frames = readSpikeFrames(file, network, 0);
    const activity = new TraceActivity(frames, file);
    const all = { channelStart: 0, channelEnd: 64, rowStart: 0, rowEnd: 1, columnStart: 0, columnEnd: 1 };
    expect([activity.spikeCount('input', 0, all), activity.spikeCount('input', 1, all)]).toEqual([2, 1]);
    expect(activity.kindOf('fc')).toBe('bitmap');
    const result = simulate(resolve(cLoopMapping, network, tinyHardware()), { activity });
    expect(result.cost.layers.map((entry) => entry.operations)).toEqual([4, 2]);

    expect(() => readSpikeFrames(file, denseNetwork(64, 2, 4), 0)).toThrow('the trace has 2 timesteps but');
    expect(() => readSpikeFrames(file, network, 3)).toThrow('sample 3 does not exist; the trace has samples 0 to 0');
    fs.rmSync(folder, { recursive: true });
  });
});
