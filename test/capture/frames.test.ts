import * as fs from 'node:fs';
import * as path from 'node:path';
import { CaptureError } from '../../src/capture/errors';
import { eventFileToFrames } from '../../src/capture/frames';
import { resolveNetwork, type ResolvedNetwork } from '../../src/spec/network';
import type { NetworkSpec } from '../../src/spec/network-schema';
import { firstTestRecordings, nmnistDir } from './helpers';

const dataDir = nmnistDir();
const describeWithData = dataDir ? describe : describe.skip;

function inputNetwork(channels: number, bits: number, timesteps = 10): ResolvedNetwork {
  const spec: NetworkSpec = {
    name: `input-${channels}x${bits}`,
    timesteps,
    input: { channels, height: 34, width: 34, bits },
    defaults: { precision: { weightBits: 8, outputBits: 1, partialSumBits: 16, stateBits: 16 }, neuron: { model: 'lif' } },
    layers: [{ name: 'pool', type: 'maxpool', inputs: ['input'], kernel: 2 }],
  };
  return resolveNetwork(spec);
}

/** Reads the row of stats.csv (file,n_events,t_first_us,t_last_us,...) of a test recording. */
function statsOf(file: string): { events: number; firstUs: number } {
  const row = fs
    .readFileSync(path.join(dataDir!, 'stats.csv'), 'utf8')
    .split('\n')
    .find((line) => line.startsWith(`test/${path.basename(file)},`))!
    .split(',');
  return { events: Number(row[1]), firstUs: Number(row[2]) };
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

describeWithData('event frames', () => {
  const file = dataDir ? firstTestRecordings(dataDir, 1)[0] : '';

  test('N-MNIST recording binned from its first event', () => {
    const frames = eventFileToFrames(file, inputNetwork(2, 16), 32_000);
    const stats = statsOf(file);
    expect(frames.eventsInFile).toBe(stats.events);
    expect(frames.startUs).toBe(stats.firstUs);
    expect(frames.frames).toHaveLength(10 * 2 * 34 * 34);
    // 16-bit counts are never clipped, so every binned event is in the frames.
    expect(sum(frames.frames)).toBe(sum(frames.eventsPerStep));
    expect(sum(frames.eventsPerStep)).toBeLessThanOrEqual(stats.events);
    expect(sum(frames.eventsPerStep)).toBeGreaterThan(0.95 * stats.events);
  });

  test('1-bit input is binary, 3-bit input clipped at 7', () => {
    const binary = eventFileToFrames(file, inputNetwork(2, 1), 32_000).frames;
    expect(new Set(binary)).toEqual(new Set([0, 1]));
    const counts = eventFileToFrames(file, inputNetwork(2, 16), 320_000).frames;
    const threeBit = eventFileToFrames(file, inputNetwork(2, 3), 320_000).frames;
    expect(Math.max(...counts)).toBeGreaterThan(7);
    expect(Array.from(threeBit)).toEqual(Array.from(counts, (count) => Math.min(count, 7)));
  });

  test('4 channels hold 2 sub-bins of OFF and ON', () => {
    const two = eventFileToFrames(file, inputNetwork(2, 16), 32_000).frames;
    const four = eventFileToFrames(file, inputNetwork(4, 16), 32_000).frames;
    const plane = 34 * 34;
    let mismatches = 0;
    for (let t = 0; t < 10; t++) {
      for (let polarity = 0; polarity < 2; polarity++) {
        for (let p = 0; p < plane; p++) {
          const combined = four[(t * 4 + polarity) * plane + p] + four[(t * 4 + 2 + polarity) * plane + p];
          if (combined !== two[(t * 2 + polarity) * plane + p]) mismatches++;
        }
      }
    }
    expect(mismatches).toBe(0);
  });

  test('odd channel count is rejected', () => {
    expect(() => eventFileToFrames(file, inputNetwork(3, 1), 32_000)).toThrow(CaptureError);
    expect(() => eventFileToFrames(file, inputNetwork(3, 1), 32_000)).toThrow(
      /takes 3 input channels; event input needs 2 \(OFF, ON\) or a multiple of 2/,
    );
  });
});
