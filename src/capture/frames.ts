import * as tf from '@tensorflow/tfjs';
import { binEventFile, openEventFile } from '../events';
import type { ResolvedNetwork } from '../spec/network';
import { CaptureError } from './errors';

/** One recording turned into the network's input. */
export interface SampleFrames {
  /** [T][C][H][W] event counts per pixel, clipped to 2^inputBits - 1. */
  frames: Float32Array;
  /** Events that fell into each timestep's bin. */
  eventsPerStep: number[];
  eventsInFile: number;
  /** Start of the first bin, in the recording's microseconds. */
  startUs: number;
}

/**
 * Bins an event file into the input frames of a network: T bins of `binWidthUs` from the first
 * event. Coordinates are pooled from the sensor size onto the input size, and a file without a
 * sensor size, such as N-MNIST, is taken to be input-sized. A 2-channel input contains OFF and ON
 * events. A 2k-channel input splits each timestep into k sub-bins, channel 2j + p containing
 * polarity p of sub-bin j. Counts above 2^bits - 1 are clipped, so a 1-bit input is binary.
 */
export function eventFileToFrames(file: string, network: ResolvedNetwork, binWidthUs: number): SampleFrames {
  const { channels, height, width, bits } = network.input;
  if (channels % 2 !== 0) {
    throw new CaptureError(
      file,
      `network '${network.name}' takes ${channels} input channels; event input needs 2 (OFF, ON) or a multiple of 2 (sub-bins)`,
    );
  }
  if (!(binWidthUs > 0)) throw new RangeError(`binWidthUs must be positive, got ${binWidthUs}`);

  const reader = openEventFile(file);
  const sensorSize = reader.info.sensorSize ?? { width, height };
  reader.close();

  const subBins = channels / 2;
  const timesteps = network.timesteps;
  const binned = binEventFile(file, {
    timesteps: timesteps * subBins,
    inputHeight: height,
    inputWidth: width,
    binWidthUs: binWidthUs / subBins,
    sensorWidth: sensorSize.width,
    sensorHeight: sensorSize.height,
    method: 'time',
    value: 'count',
    spatial: 'pool',
  });

  // [T * k][2][H][W] and [T][2k][H][W] are the same array: sub-bin j of timestep t is frame t * k + j.
  const frames = binned.frames;
  const maxCount = 2 ** bits - 1;
  for (let i = 0; i < frames.length; i++) {
    if (frames[i] > maxCount) frames[i] = maxCount;
  }

  const eventsPerStep = new Array<number>(timesteps).fill(0);
  binned.report.eventsPerBin.forEach((count, bin) => {
    eventsPerStep[Math.floor(bin / subBins)] += count;
  });
  return {
    frames,
    eventsPerStep,
    eventsInFile: binned.report.eventsIn,
    startUs: binned.report.startUs ?? 0,
  };
}

/** Stacks the frames of B samples into the runner's input [T*B, H, W, C] (timestep-major, channels last). */
export function framesToTensor(samples: Float32Array[], network: ResolvedNetwork): tf.Tensor4D {
  const { channels, height, width } = network.input;
  const timesteps = network.timesteps;
  const batch = samples.length;
  const plane = height * width;
  const values = new Float32Array(timesteps * batch * plane * channels);
  for (let t = 0; t < timesteps; t++) {
    for (let b = 0; b < batch; b++) {
      const source = samples[b];
      const sourceBase = t * channels * plane;
      const targetBase = (t * batch + b) * plane * channels;
      for (let c = 0; c < channels; c++) {
        for (let p = 0; p < plane; p++) {
          values[targetBase + p * channels + c] = source[sourceBase + c * plane + p];
        }
      }
    }
  }
  return tf.tensor4d(values, [timesteps * batch, height, width, channels]);
}
