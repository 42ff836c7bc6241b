import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedNetwork } from '../spec/network';
import { PROJECT_ROOT } from '../spec/load-json';
import { summariseActivity } from './activity';
import { runNetworkOnArrays } from './array-runner';
import { selectBackend } from './backend';
import { isClassifier, predictClasses, sumOverTimesteps } from './classify';
import { findLabel, listEventFiles, sampleIdOf } from './dataset';
import { CaptureError } from './errors';
import { eventFileToFrames, framesToTensor, type SampleFrames } from './frames';
import { loadNetworkFile, sha256Hex } from './network-file';
import { disposePrepared, prepareNetwork, type PreparedNetwork } from './runner';
import { loadOrCalibrateWeights } from './calibration-recipe';
import { buildInputSteps, buildLayerSteps, buildTraceHeader, type LayerSummary, type TileSize } from './trace-builder';
import { TRACE_FILE_EXTENSION, TraceWriter } from './trace-io';
import type { TraceSample } from './trace-types';
import { disposeWeights, type WeightsOrigin } from './weights';

/** Networks with at most this many neurons per timestep (all layers together) get spike bitmaps by default. */
export const DEFAULT_BITMAP_NEURON_LIMIT = 1_000_000;
export const DEFAULT_TILE_SIZE = 8;

export interface CaptureOptions {
  /** Network spec: a name under models/networks or a path. */
  network: string;
  /** Folder with model.json and weights.bin, or with calibration.json for on-demand calibration; default models/weights/<network name>. */
  weightsDir?: string;
  /** Event files and folders of event files. */
  eventFiles: string[];
  /** Capture at most this many recordings (in listing order). */
  limit?: number;
  /** Default traces/<network name>. */
  outDir?: string;
  /** File name inside outDir; default <network name>.trace.pb. */
  outName?: string;
  /** tensorflow, wasm or cpu; default the fastest that loads. */
  backend?: string;
  /** Store spike bitmaps; default on when the network has at most DEFAULT_BITMAP_NEURON_LIMIT neurons per timestep. */
  bitmaps?: boolean;
  /** Tile edge in pixels for the per-tile spike counts (default 8). */
  tileSize?: number;
  /** Event bin width in microseconds; default the bin width the weights were trained or calibrated with. */
  binWidthUs?: number;
  onProgress?: (done: number, total: number, sampleId: string) => void;
}

export interface CaptureResult {
  traceFile: string;
  network: string;
  backend: string;
  weightsOrigin: WeightsOrigin;
  weightsSha256: string;
  samples: number;
  /** Samples with a known label, and how many of them the network classified correctly. */
  labelled: number;
  correct: number;
  seconds: number;
}

export function defaultWeightsDir(networkName: string): string {
  return path.join(PROJECT_ROOT, 'models', 'weights', networkName);
}

export function neuronsPerTimestep(network: ResolvedNetwork): number {
  return network.layers.reduce((sum, layer) => sum + layer.outputShape.channels * layer.outputShape.height * layer.outputShape.width, 0);
}

interface RunContext {
  prepared: PreparedNetwork;
  tile: TileSize;
  bitmaps: boolean;
}

interface RecordingInput {
  file: string;
  frames: SampleFrames;
}

/** Runs one recording through the network and assembles its trace sample. */
function captureSample(context: RunContext, recording: RecordingInput): TraceSample {
  const { prepared, tile, bitmaps } = context;
  const network = prepared.network;
  const { timesteps } = network;
  const input = framesToTensor([recording.frames.frames], network);
  const summaries: LayerSummary[] = [];
  const classifier = isClassifier(network);
  let predictedClass: number | undefined;
  let classSpikeCounts: number[] = [];

  try {
    runNetworkOnArrays(prepared, input, {
      timesteps,
      batch: 1,
      onLayer: ({ layer, shape, current, output, state }) => {
        summaries.push({ activity: summariseActivity(output, shape, tile, bitmaps), state });
        if (classifier && layer.index === network.layers.length - 1) {
          const classes = shape.channels;
          const counts = sumOverTimesteps(output, timesteps, 1, classes);
          predictedClass = predictClasses(counts, sumOverTimesteps(current, timesteps, 1, classes), 1, classes)[0];
          classSpikeCounts = Array.from(counts);
        }
      },
    });
  } finally {
    input.dispose();
  }

  const sample: TraceSample = {
    sampleId: sampleIdOf(recording.file),
    sourceFile: path.basename(recording.file),
    sourceSha256: sha256Hex(fs.readFileSync(recording.file)),
    classSpikeCounts,
    startUs: recording.frames.startUs,
    eventsInFile: recording.frames.eventsInFile,
    input: buildInputSteps(recording.frames.frames, recording.frames.eventsPerStep, timesteps, bitmaps),
    records: buildLayerSteps(summaries, 0),
  };
  const label = findLabel(recording.file);
  if (label !== undefined) sample.label = label;
  if (predictedClass !== undefined) sample.predictedClass = predictedClass;
  return sample;
}

/**
 * Captures spike traces: runs the network with its weights on each event recording and writes
 * one trace file with a header and one sample per recording. Samples are run one at a time, so
 * a sample's bytes do not depend on which other recordings are captured with it.
 */
export async function captureTraces(options: CaptureOptions): Promise<CaptureResult> {
  const started = Date.now();
  const backend = await selectBackend(options.backend);
  const { network, specSha256 } = loadNetworkFile(options.network);
  const weightsDir = options.weightsDir ?? defaultWeightsDir(network.name);
  if (!fs.existsSync(weightsDir)) {
    throw new CaptureError(
      weightsDir,
      `weights folder not found; train with 'stemsim train --network ${network.name}' or calibrate with 'stemsim calibrate --network ${network.name}'`,
    );
  }

  let files = listEventFiles(options.eventFiles);
  if (options.limit !== undefined) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError(`limit must be a positive integer, got ${options.limit}`);
    files = files.slice(0, options.limit);
  }
  const weights = await loadOrCalibrateWeights(weightsDir, options.network, network, files, backend);

  const tileSize = options.tileSize ?? DEFAULT_TILE_SIZE;
  if (!Number.isInteger(tileSize) || tileSize < 1) throw new RangeError(`tile size must be a positive integer, got ${tileSize}`);
  const context: RunContext = {
    prepared: prepareNetwork(network, weights),
    tile: { height: tileSize, width: tileSize },
    bitmaps: options.bitmaps ?? neuronsPerTimestep(network) <= DEFAULT_BITMAP_NEURON_LIMIT,
  };
  const binWidthUs = options.binWidthUs ?? weights.metadata.binWidthUs;
  const header = buildTraceHeader({
    network,
    specSha256,
    weights,
    neurons: context.prepared.layers.map((layer) => layer.neuron),
    backend,
    binWidthUs,
    tile: context.tile,
    bitmaps: context.bitmaps,
  });

  const outDir = options.outDir ?? path.join(PROJECT_ROOT, 'traces', network.name);
  const traceFile = path.join(outDir, options.outName ?? `${network.name}${TRACE_FILE_EXTENSION}`);
  const writer = new TraceWriter(traceFile, header);
  let labelled = 0;
  let correct = 0;
  try {
    files.forEach((file, index) => {
      const frames = eventFileToFrames(file, network, binWidthUs);
      const sample = captureSample(context, { file, frames });
      writer.writeSample(sample);
      if (sample.label !== undefined && sample.predictedClass !== undefined) {
        labelled++;
        if (sample.label === sample.predictedClass) correct++;
      }
      options.onProgress?.(index + 1, files.length, sample.sampleId);
    });
  } finally {
    writer.close();
    disposePrepared(context.prepared);
    disposeWeights(weights);
  }

  return {
    traceFile,
    network: network.name,
    backend,
    weightsOrigin: weights.metadata.origin,
    weightsSha256: weights.sha256,
    samples: files.length,
    labelled,
    correct,
    seconds: (Date.now() - started) / 1000,
  };
}
