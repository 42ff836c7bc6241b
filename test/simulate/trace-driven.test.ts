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
    // Data moves as dense bitmaps whatever the spikes.
    expect(sparse.cost.accesses).toEqual(dense.cost.accesses);
    // Spike accumulates cost 0.5 pJ on this array; these inputs are 8-bit, so each is a MAC at 1 pJ.
    expect(sparse.cost.totals.computeEnergyPj).toBe(40);
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
