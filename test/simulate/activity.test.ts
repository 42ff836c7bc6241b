import seedrandom from 'seedrandom';
import { DenseActivity, SpikeFrames, TraceActivity } from '../../src/simulate';
import { PrefixSum3d } from '../../src/simulate/activity/prefix-sum';

const shape = { channels: 3, height: 5, width: 7 };

function randomFrame(seed: string, density: number): Uint8Array {
  const random = seedrandom(seed);
  return Uint8Array.from({ length: shape.channels * shape.height * shape.width }, () => (random() < density ? 1 : 0));
}

function bruteForce(frame: Uint8Array, c0: number, c1: number, y0: number, y1: number, x0: number, x1: number): number {
  let count = 0;
  for (let c = c0; c < c1; c++) for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) count += frame[(c * shape.height + y) * shape.width + x];
  return count;
}

describe('spike activity', () => {
  test('prefix sum counts every box', () => {
    const frame = randomFrame('boxes', 0.3);
    const sum = new PrefixSum3d(frame, shape.channels, shape.height, shape.width);
    expect(sum.total).toBe(frame.reduce((a, b) => a + b, 0));
    for (let c0 = 0; c0 < 3; c0++)
      for (let c1 = c0 + 1; c1 <= 3; c1++)
        for (let y0 = 0; y0 < 5; y0 += 2)
          for (let y1 = y0 + 1; y1 <= 5; y1 += 2)
            for (let x0 = 0; x0 < 7; x0 += 3)
              for (let x1 = x0 + 1; x1 <= 7; x1 += 2) {
                const region = { channelStart: c0, channelEnd: c1, rowStart: y0, rowEnd: y1, columnStart: x0, columnEnd: x1 };
                expect(sum.count(region)).toBe(bruteForce(frame, c0, c1, y0, y1, x0, x1));
              }
  });

  test('dense activity counts every element', () => {
    const region = { channelStart: 1, channelEnd: 3, rowStart: 0, rowEnd: 4, columnStart: 2, columnEnd: 5 };
    expect(new DenseActivity().spikeCount('any', 0, region)).toBe(24);
  });

  test('trace activity falls back to tiles and rates', () => {
    const frame = randomFrame('fallback', 0.5);
    const spikes = frame.reduce((a, b) => a + b, 0);
    const frames: SpikeFrames = {
      network: 'test',
      timesteps: 1,
      tensors: new Map([
        ['exact', { shape, frames: [frame] }],
        // One tile of 3 x 5 x 7 holding all the spikes.
        ['tiled', { shape, tileCounts: { tileShape: shape, counts: [[spikes]] } }],
        ['rated', { shape, rates: [0.25] }],
      ]),
    };
    const activity = new TraceActivity(frames, 'test.trace.pb');
    const whole = { channelStart: 0, channelEnd: 3, rowStart: 0, rowEnd: 5, columnStart: 0, columnEnd: 7 };
    const corner = { channelStart: 0, channelEnd: 3, rowStart: 0, rowEnd: 1, columnStart: 0, columnEnd: 7 };
    expect(activity.spikeCount('exact', 0, whole)).toBe(spikes);
    expect(activity.spikeCount('tiled', 0, whole)).toBe(spikes);
    // A fifth of the rows gets a fifth of the tile's spikes.
    expect(activity.spikeCount('tiled', 0, corner)).toBeCloseTo(spikes / 5, 9);
    expect(activity.spikeCount('rated', 0, corner)).toBeCloseTo(0.25 * 21, 9);
    expect(activity.kindOf('tiled')).toBe('tile-counts');
    expect(activity.description).toBe('trace test.trace.pb; no bitmaps, so spikes are spread evenly from tile counts for tiled; per-layer rates for rated');
  });

  test('trace activity rejects missing tensors and short traces', () => {
    const activity = new TraceActivity({ network: 'test', timesteps: 1, tensors: new Map() }, 'test.trace.pb');
    const region = { channelStart: 0, channelEnd: 1, rowStart: 0, rowEnd: 1, columnStart: 0, columnEnd: 1 };
    expect(() => activity.spikeCount('conv1', 0, region)).toThrow("the spike trace has no spikes for tensor 'conv1'; capture a trace of this network, or simulate with --dense");
    const short: SpikeFrames = { network: 'test', timesteps: 4, tensors: new Map([['conv1', { shape, rates: [0.1, 0.2] }]]) };
    expect(() => new TraceActivity(short, 'short.trace.pb')).toThrow("short.trace.pb: tensor 'conv1' has rates for 2 timesteps, but the network runs 4");
  });
});
