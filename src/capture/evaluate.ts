import { runNetworkOnArrays } from './array-runner';
import { isClassifier, predictClasses, sumOverTimesteps } from './classify';
import { CaptureError } from './errors';
import { framesToTensor } from './frames';
import type { PreparedNetwork } from './runner';

export interface LabelledFrames {
  id: string;
  /** [T][C][H][W] input frames. */
  frames: Float32Array;
  label: number;
}

export interface Evaluation {
  samples: number;
  correct: number;
  accuracy: number;
  predictions: number[];
}

/**
 * Classifies each sample with the inference runner that capture uses (one sample per run, quantised
 * kernels), so that the accuracy matches the predicted classes in the traces.
 */
export function evaluateClassifier(prepared: PreparedNetwork, samples: LabelledFrames[]): Evaluation {
  const network = prepared.network;
  if (!isClassifier(network)) {
    throw new CaptureError(network.name, `is not a classifier: set 'classes' in the spec to the size of the last layer`);
  }
  const predictions: number[] = [];
  for (const sample of samples) {
    const input = framesToTensor([sample.frames], network);
    try {
      runNetworkOnArrays(prepared, input, {
        timesteps: network.timesteps,
        batch: 1,
        onLayer: ({ layer, shape, current, output }) => {
          if (layer.index !== network.layers.length - 1) return;
          const classes = shape.channels;
          const counts = sumOverTimesteps(output, network.timesteps, 1, classes);
          predictions.push(predictClasses(counts, sumOverTimesteps(current, network.timesteps, 1, classes), 1, classes)[0]);
        },
      });
    } finally {
      input.dispose();
    }
  }
  const correct = predictions.filter((prediction, index) => prediction === samples[index].label).length;
  return { samples: samples.length, correct, accuracy: samples.length > 0 ? correct / samples.length : 0, predictions };
}
