import type { TraceFile } from './trace-types';

export interface LayerTraceSummary {
  name: string;
  type: string;
  neuronModel: string;
  neurons: number;
  /** Mean over samples and timesteps of the layer's firing rate. */
  meanFiringRate: number;
  /** Mean over samples and timesteps of the share of neurons whose state changed; null for layers without spiking neurons. */
  meanStateChangedFraction: number | null;
}

export interface TraceSummary {
  samples: number;
  labelled: number;
  correct: number;
  meanInputEventsPerStep: number;
  layers: LayerTraceSummary[];
}

/** Averages a trace's records per layer, for `stemsim trace info` and reports. */
export function summariseTrace(trace: TraceFile): TraceSummary {
  const { header, samples } = trace;
  const layerCount = header.layers.length;
  const rateSums = new Float64Array(layerCount);
  const changedSums = new Float64Array(layerCount);
  const changedRecords = new Uint32Array(layerCount);
  let records = 0;
  let inputEvents = 0;
  let inputSteps = 0;
  let labelled = 0;
  let correct = 0;

  for (const sample of samples) {
    for (const record of sample.records) {
      rateSums[record.layerIndex] += record.firingRate;
      if (record.state) {
        changedSums[record.layerIndex] += record.state.changedFraction;
        changedRecords[record.layerIndex]++;
      }
    }
    records += sample.records.length / layerCount;
    for (const step of sample.input) {
      inputEvents += step.eventCount;
      inputSteps++;
    }
    if (sample.label !== undefined && sample.predictedClass !== undefined) {
      labelled++;
      if (sample.label === sample.predictedClass) correct++;
    }
  }

  return {
    samples: samples.length,
    labelled,
    correct,
    meanInputEventsPerStep: inputSteps > 0 ? inputEvents / inputSteps : 0,
    layers: header.layers.map((info, index) => ({
      name: info.name,
      type: info.type,
      neuronModel: info.neuronModel,
      neurons: info.channels * info.height * info.width,
      meanFiringRate: records > 0 ? rateSums[index] / records : 0,
      meanStateChangedFraction: changedRecords[index] > 0 ? changedSums[index] / changedRecords[index] : null,
    })),
  };
}
