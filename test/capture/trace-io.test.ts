import * as fs from 'node:fs';
import * as path from 'node:path';
import { CaptureError } from '../../src/capture/errors';
import { decodeTrace, encodeTrace, readTraceFile, TraceWriter } from '../../src/capture/trace-io';
import { countBits, isBitSet, layerStep, neuronIndex, spikeBitmap, unpackBitmap } from '../../src/capture/trace-query';
import type { LayerStep, TraceFile, TraceSample } from '../../src/capture/trace-types';
import { temporaryFolder } from './helpers';

function record(timestep: number, layerIndex: number, bitmap: number[], state: LayerStep['state']): LayerStep {
  const bytes = new Uint8Array(bitmap);
  const count = countBits(bytes);
  return {
    timestep,
    layerIndex,
    spikeCount: count,
    firingRate: count / 16,
    outputSum: count,
    spikeBitmap: bytes,
    channelCounts: [count, 0],
    tileCounts: [count],
    state,
  };
}

function sample(id: string, label: number | undefined): TraceSample {
  const result: TraceSample = {
    sampleId: id,
    sourceFile: `${id}.bs2`,
    sourceSha256: 'ab'.repeat(32),
    classSpikeCounts: [],
    startUs: 893,
    eventsInFile: 4681,
    input: [
      { timestep: 0, eventCount: 12, nonzeroCount: 9, bitmap: new Uint8Array([0xff, 0x01]) },
      { timestep: 1, eventCount: 0, nonzeroCount: 0, bitmap: new Uint8Array([0, 0]) },
    ],
    records: [
      record(0, 0, [0b1010, 0], { changedCount: 16, changedFraction: 1, min: -0.5, max: 0.75 }),
      record(0, 1, [0, 0], null),
      record(1, 0, [0, 0b1], { changedCount: 0, changedFraction: 0, min: 0, max: 0 }),
      record(1, 1, [0xff, 0xff], null),
    ],
  };
  if (label !== undefined) result.label = label;
  return result;
}

const TRACE: TraceFile = {
  header: {
    formatVersion: 1,
    generator: 'stemsim test',
    networkName: 'tiny',
    networkSpecSha256: '01'.repeat(32),
    weightsSha256: '02'.repeat(32),
    weightsOrigin: 'calibrated, not trained',
    weightsSeed: 3,
    backend: 'wasm',
    timesteps: 2,
    binWidthUs: 32000,
    tileHeight: 8,
    tileWidth: 8,
    hasBitmaps: true,
    input: { channels: 1, height: 4, width: 4, bits: 1 },
    layers: [
      { name: 'conv', type: 'conv2d', neuronModel: 'lif', channels: 1, height: 4, width: 4, threshold: 1, decay: 0.8, stateful: true, tileRows: 1, tileColumns: 1, inputs: ['input'] },
      { name: 'pool', type: 'maxpool', neuronModel: 'none', channels: 1, height: 4, width: 4, threshold: 1, decay: 0.5, stateful: false, tileRows: 1, tileColumns: 1, inputs: ['conv'] },
    ],
  },
  // Label 0 must survive: a proto3 optional field keeps a zero that was set.
  samples: [sample('60001', 0), sample('60002', undefined), { ...sample('60003', 7), predictedClass: 7, classSpikeCounts: [0, 3, 0, 0, 0, 0, 0, 9, 0, 1] }],
};

describe('trace encoding', () => {
  test('decode gives back what was encoded', () => {
    const decoded = decodeTrace(encodeTrace(TRACE));
    expect(decoded).toEqual(TRACE);
    expect(decoded.samples[0].label).toBe(0);
    expect('label' in decoded.samples[1]).toBe(false);
    expect(decoded.samples[1].records[1].state).toBeNull();
  });

  test('encoding a decoded trace gives the same bytes', () => {
    const bytes = encodeTrace(TRACE);
    const again = encodeTrace(decodeTrace(bytes));
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
  });

  test('streaming writer and whole-file encoding agree', () => {
    const file = path.join(temporaryFolder('trace'), 'tiny.trace.pb');
    const writer = new TraceWriter(file, TRACE.header);
    TRACE.samples.forEach((entry) => writer.writeSample(entry));
    writer.close();
    expect(fs.readFileSync(file).equals(Buffer.from(encodeTrace(TRACE)))).toBe(true);
    expect(readTraceFile(file).samples.map((entry) => entry.sampleId)).toEqual(['60001', '60002', '60003']);
  });

  test('truncated file is rejected with its name', () => {
    const bytes = encodeTrace(TRACE);
    expect(() => decodeTrace(bytes.subarray(0, bytes.length - 7), 'cut.trace.pb')).toThrow(CaptureError);
    expect(() => decodeTrace(bytes.subarray(0, bytes.length - 7), 'cut.trace.pb')).toThrow(/^cut\.trace\.pb: is not a valid trace file/);
  });

  test('unknown format version is rejected', () => {
    const bytes = encodeTrace({ ...TRACE, header: { ...TRACE.header, formatVersion: 2 } });
    expect(() => decodeTrace(bytes, 'future.trace.pb')).toThrow(/future\.trace\.pb: trace format version 2 is not supported/);
  });

  test('missing file names the path', () => {
    expect(() => readTraceFile('/nonexistent/x.trace.pb')).toThrow(/\/nonexistent\/x\.trace\.pb: cannot be read \(ENOENT\)/);
  });
});

describe('trace queries', () => {
  const { header } = TRACE;
  const first = TRACE.samples[0];

  test('layer step by name and index', () => {
    expect(layerStep(header, first, 'pool', 1).spikeCount).toBe(16);
    expect(layerStep(header, first, 0, 1).spikeBitmap).toEqual(new Uint8Array([0, 1]));
    expect(() => layerStep(header, first, 'fc', 0)).toThrow(/has no layer 'fc'; its layers are conv, pool/);
    expect(() => layerStep(header, first, 0, 2)).toThrow(/timestep 2 is outside 0\.\.1/);
  });

  test('bitmap helpers', () => {
    const bitmap = spikeBitmap(header, first, 'conv', 0);
    expect(isBitSet(bitmap, 1)).toBe(true);
    expect(isBitSet(bitmap, 2)).toBe(false);
    expect(Array.from(unpackBitmap(bitmap, 8))).toEqual([0, 1, 0, 1, 0, 0, 0, 0]);
    expect(neuronIndex({ channels: 2, height: 3, width: 4 }, 1, 2, 3)).toBe(23);
  });

  test('bitmap request on a trace without bitmaps', () => {
    expect(() => spikeBitmap({ ...header, hasBitmaps: false }, first, 'conv', 0)).toThrow(/captured without bitmaps; recapture with --bitmaps/);
  });
});
