/** Filters, pooling, cropping and binning of events into [T][2][H][W] frames. */
import { FrameBinner } from '../../src/events/binning';
import { BackgroundActivityFilter, RefractoryFilter } from '../../src/events/filters';
import { binEventFile, binEvents } from '../../src/events/preprocess';
import { readAllEvents } from '../../src/events/reader';
import type { EventArrays } from '../../src/events/types';
import { dataPath, describeWithData } from './helpers';

function events(rows: Array<[number, number, number, number]>): EventArrays {
  return {
    timestampUs: Float64Array.from(rows.map((r) => r[0])),
    x: Uint16Array.from(rows.map((r) => r[1])),
    y: Uint16Array.from(rows.map((r) => r[2])),
    polarity: Uint8Array.from(rows.map((r) => r[3])),
    length: rows.length,
  };
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

describe('binEvents on hand-made events', () => {
  test('layout is [T][2][H][W] with channel = polarity', () => {
    const input = events([
      [0, 1, 2, 1],
      [10, 3, 0, 0],
      [10, 3, 0, 0],
    ]);
    const { frames, shape, report } = binEvents(input, { timesteps: 2, inputHeight: 3, inputWidth: 4, sensorWidth: 4, sensorHeight: 3 });
    expect(shape).toEqual([2, 2, 3, 4]);
    expect(frames.length).toBe(2 * 2 * 3 * 4);
    const at = (t: number, c: number, y: number, x: number) => frames[((t * 2 + c) * 3 + y) * 4 + x];
    expect(at(0, 1, 2, 1)).toBe(1);
    expect(at(1, 0, 0, 3)).toBe(2);
    expect(sum(frames)).toBe(3);
    expect(report.eventsPerBin).toEqual([1, 2]);
    expect(report.binWidthUs).toBe(5);
  });

  test('binary value', () => {
    const input = events([
      [0, 0, 0, 1],
      [1, 0, 0, 1],
    ]);
    const { frames } = binEvents(input, { timesteps: 1, inputHeight: 1, inputWidth: 1, value: 'binary' });
    expect(Array.from(frames)).toEqual([0, 1]);
  });

  test('count method splits events evenly', () => {
    const rows: Array<[number, number, number, number]> = [];
    for (let i = 0; i < 10; i++) rows.push([i * i, 0, 0, 1]);
    const { report } = binEvents(events(rows), { timesteps: 3, inputHeight: 1, inputWidth: 1, method: 'count' });
    expect(report.eventsPerBin).toEqual([4, 3, 3]);
    expect(report.binWidthUs).toBeNull();
    expect(report.startUs).toBeNull();
  });

  test('explicit window drops events after the last frame', () => {
    const input = events([
      [100, 0, 0, 1],
      [149, 0, 0, 1],
      [150, 0, 0, 1],
      [400, 0, 0, 1],
    ]);
    const { report } = binEvents(input, { timesteps: 2, inputHeight: 1, inputWidth: 1, binWidthUs: 50 });
    expect(report.eventsPerBin).toEqual([2, 1]);
    expect(report.eventsKept).toBe(3);
    expect(report.steps[report.steps.length - 1]).toEqual({ step: 'bin', eventsIn: 4, eventsKept: 3 });
  });

  test('pooling halves coordinates', () => {
    const input = events([
      [0, 0, 0, 1],
      [1, 1, 1, 1],
      [2, 33, 33, 0],
    ]);
    const { frames } = binEvents(input, { timesteps: 1, inputHeight: 17, inputWidth: 17, sensorWidth: 34, sensorHeight: 34 });
    expect(frames[(1 * 17 + 0) * 17 + 0]).toBe(2);
    expect(frames[(0 * 17 + 16) * 17 + 16]).toBe(1);
  });

  test('crop keeps the centred window', () => {
    const input = events([
      [0, 0, 0, 1],
      [1, 10, 10, 1],
      [2, 5, 5, 1],
    ]);
    const { report, frames } = binEvents(input, {
      timesteps: 1,
      inputHeight: 10,
      inputWidth: 10,
      sensorWidth: 20,
      sensorHeight: 20,
      spatial: 'crop',
    });
    expect(report.steps.find((s) => s.step === 'crop')).toEqual({ step: 'crop', eventsIn: 3, eventsKept: 2 });
    expect(frames[(1 * 10 + 5) * 10 + 5]).toBe(1);
    expect(frames[(1 * 10 + 0) * 10 + 0]).toBe(1);
  });
});

describe('filters', () => {
  test('refractory period per pixel', () => {
    const filter = new RefractoryFilter(4, 4, 10);
    const kept = filter.apply(
      events([
        [0, 1, 1, 1],
        [5, 1, 1, 0],
        [6, 2, 1, 1],
        [10, 1, 1, 1],
        [19, 1, 1, 1],
        [20, 1, 1, 1],
      ]),
    );
    expect(Array.from(kept.timestampUs)).toEqual([0, 6, 10, 20]);
    expect(filter.counts).toEqual({ eventsIn: 6, eventsKept: 4 });
  });

  test('background activity needs a recent neighbour', () => {
    const filter = new BackgroundActivityFilter(8, 8, 100);
    const kept = filter.apply(
      events([
        [0, 3, 3, 1],
        [50, 4, 3, 1],
        [60, 3, 3, 1],
        [500, 0, 7, 1],
        [700, 4, 4, 0],
      ]),
    );
    expect(Array.from(kept.timestampUs)).toEqual([50, 60]);
    expect(filter.counts).toEqual({ eventsIn: 5, eventsKept: 2 });
  });

  test('filters report in binEvents steps', () => {
    const input = events([
      [0, 1, 1, 1],
      [1, 1, 1, 1],
      [2, 2, 1, 1],
    ]);
    const { report } = binEvents(input, {
      timesteps: 1,
      inputHeight: 4,
      inputWidth: 4,
      sensorWidth: 4,
      sensorHeight: 4,
      refractoryUs: 5,
      denoiseWindowUs: 10,
    });
    expect(report.steps.map((s) => s.step)).toEqual(['refractory', 'background-activity', 'pool', 'bin']);
    expect(report.steps[0]).toEqual({ step: 'refractory', eventsIn: 3, eventsKept: 2 });
    expect(report.steps[1]).toEqual({ step: 'background-activity', eventsIn: 2, eventsKept: 1 });
    expect(report.eventsIn).toBe(3);
    expect(report.eventsKept).toBe(1);
  });

  test('FrameBinner count method needs the total', () => {
    expect(() => new FrameBinner({ timesteps: 2, height: 1, width: 1, method: 'count', value: 'count', startUs: 0 })).toThrow('totalEvents');
  });
});

describeWithData('binning real recordings', () => {
  test('N-MNIST sample into 5 frames of 34x34', () => {
    const { events: input } = readAllEvents(dataPath('nmnist_bin/train/1.bs2'));
    const { frames, shape, report } = binEvents(input, { timesteps: 5, inputHeight: 34, inputWidth: 34 });
    expect(shape).toEqual([5, 2, 34, 34]);
    expect(sum(frames)).toBe(4_681);
    expect(sum(report.eventsPerBin)).toBe(4_681);
    expect(report.sensorWidth).toBe(34);
    expect(report.startUs).toBe(893);
    expect(report.binWidthUs).toBeCloseTo((305_924 - 893) / 5, 6);
  });

  test('file binning equals in-memory binning', () => {
    const file = dataPath('aedat4/davis346_aestream.aedat4');
    const options = { timesteps: 4, inputHeight: 65, inputWidth: 86, refractoryUs: 1_000, denoiseWindowUs: 5_000 };
    const fromFile = binEventFile(file, options, { chunkSize: 10_000 });
    const fromMemory = binEvents(readAllEvents(file).events, { ...options, sensorWidth: 346, sensorHeight: 260 });
    expect(fromFile.report).toEqual(fromMemory.report);
    expect(Buffer.from(fromFile.frames.buffer).equals(Buffer.from(fromMemory.frames.buffer))).toBe(true);
  });

  test('count method on EVT 2.0', () => {
    const { report } = binEventFile(dataPath('prophesee_raw_evt2/sparklers_gen3_evt2.raw'), {
      timesteps: 4,
      inputHeight: 120,
      inputWidth: 160,
      method: 'count',
    });
    expect(report.eventsPerBin).toEqual([130_313, 130_313, 130_313, 130_313]);
    expect(report.sensorWidth).toBe(640);
  });
});
