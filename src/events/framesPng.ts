/**
 * Rendering of [T][2][H][W] event frames as PNG images for a visual check: ON events in orange,
 * OFF events in blue, on black, brightness following the square root of the count.
 */
import * as fs from 'fs';
import * as path from 'path';

import { PNG } from 'pngjs';

const ON_RGB = [255, 140, 0];
const OFF_RGB = [30, 144, 255];
/** Counts at or above this percentile of the non-zero pixels show at full brightness, so a few hot pixels do not darken the rest. */
const BRIGHTNESS_PERCENTILE = 0.99;
/** Default images are enlarged by a whole factor until their longer side reaches this many pixels. */
const MIN_IMAGE_SIDE = 256;

export interface PngOptions {
  /** Whole-number enlargement factor; default the smallest that makes the longer side at least 256 px. */
  scale?: number;
  /** File name prefix (default `frame_`). */
  prefix?: string;
}

/** Writes one PNG per frame into `outDir` and returns the paths written. */
export function writeFramesAsPng(
  frames: Float32Array,
  shape: [number, number, number, number],
  outDir: string,
  options: PngOptions = {},
): string[] {
  const [timesteps, channels, height, width] = shape;
  if (channels !== 2) throw new RangeError(`expected 2 polarity channels, got ${channels}`);
  const scale = options.scale ?? Math.max(1, Math.ceil(MIN_IMAGE_SIDE / Math.max(width, height)));
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`scale must be a positive integer, got ${scale}`);
  const prefix = options.prefix ?? 'frame_';
  const digits = Math.max(3, String(timesteps - 1).length);
  const plane = height * width;

  const fullScale = percentileOfNonZero(frames, BRIGHTNESS_PERCENTILE);
  const norm = fullScale > 0 ? 1 / Math.sqrt(fullScale) : 0;

  fs.mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (let t = 0; t < timesteps; t++) {
    const png = new PNG({ width: width * scale, height: height * scale });
    const offBase = (t * 2) * plane;
    const onBase = (t * 2 + 1) * plane;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const off = Math.min(1, Math.sqrt(frames[offBase + y * width + x]) * norm);
        const on = Math.min(1, Math.sqrt(frames[onBase + y * width + x]) * norm);
        const rgb = [0, 1, 2].map((c) => Math.min(255, Math.round(ON_RGB[c] * on + OFF_RGB[c] * off)));
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            const index = (((y * scale + dy) * width * scale) + x * scale + dx) * 4;
            png.data[index] = rgb[0];
            png.data[index + 1] = rgb[1];
            png.data[index + 2] = rgb[2];
            png.data[index + 3] = 255;
          }
        }
      }
    }
    const file = path.join(outDir, `${prefix}${String(t).padStart(digits, '0')}.png`);
    fs.writeFileSync(file, PNG.sync.write(png));
    written.push(file);
  }
  return written;
}

function percentileOfNonZero(values: Float32Array, fraction: number): number {
  const nonZero: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] > 0) nonZero.push(values[i]);
  if (nonZero.length === 0) return 0;
  nonZero.sort((a, b) => a - b);
  return nonZero[Math.min(nonZero.length - 1, Math.floor(fraction * nonZero.length))];
}
