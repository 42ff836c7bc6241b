/**
 * Commander wiring of `stemsim train`, `stemsim calibrate`, `stemsim capture` and
 * `stemsim trace info`. The work happens in src/capture; this file parses options and prints.
 */
import * as path from 'node:path';
import { SingleBar } from 'cli-progress';
import Table from 'cli-table3';
import { InvalidArgumentError, type Command } from 'commander';
import { CALIBRATE_DEFAULTS, calibrateNetwork } from '../capture/calibrate';
import { captureTraces, defaultWeightsDir } from '../capture/capture';
import { CaptureError } from '../capture/errors';
import { writeModelCard } from '../capture/model-card';
import { readTraceFile } from '../capture/trace-io';
import { summariseTrace } from '../capture/trace-summary';
import { TRAIN_DEFAULTS, trainNetwork } from '../capture/train';
import { saveWeights } from '../capture/weights';

/** Environment variable naming the N-MNIST folder (train/, test/, labels.csv) that `stemsim train` reads by default. */
export const NMNIST_DIR_VARIABLE = 'STEMSIM_NMNIST_DIR';

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError(`expected a positive integer, got '${value}'.`);
  return parsed;
}

function nonNegativeInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError(`expected an integer >= 0, got '${value}'.`);
  return parsed;
}

function positiveNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError(`expected a number > 0, got '${value}'.`);
  return parsed;
}

function rate(value: string): number {
  const parsed = Number(value);
  if (!(parsed > 0 && parsed < 1)) throw new InvalidArgumentError(`expected a share between 0 and 1 such as 0.15, got '${value}'.`);
  return parsed;
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : 'n/a';
}

/** Returns the command line as typed, for model cards. */
function commandLine(): string {
  return ['stemsim', ...process.argv.slice(2)].join(' ');
}

function registerTrain(program: Command): void {
  program
    .command('train')
    .description('Train a classifying SNN (such as nmnist-snn) with surrogate gradients and save its weights and model card')
    .requiredOption('--network <nameOrPath>', 'network spec: a name under models/networks or a path')
    .option('--data <dir>', `folder with train/, test/ and labels.csv (default $${NMNIST_DIR_VARIABLE})`)
    .option('--epochs <count>', 'passes over the training recordings', positiveInteger, TRAIN_DEFAULTS.epochs)
    .option('--seed <seed>', 'seed of the initialisation, shuffling and shifts', nonNegativeInteger, TRAIN_DEFAULTS.seed)
    .option('--batch-size <count>', 'recordings per gradient step', positiveInteger, TRAIN_DEFAULTS.batchSize)
    .option('--learning-rate <rate>', 'Adam learning rate', positiveNumber, TRAIN_DEFAULTS.learningRate)
    .option('--bin-width-us <us>', 'event bin width per timestep in microseconds', positiveNumber, TRAIN_DEFAULTS.binWidthUs)
    .option('--max-shift <pixels>', 'largest random shift of a training sample in pixels (0: off)', nonNegativeInteger, TRAIN_DEFAULTS.maxShift)
    .option('--out <dir>', 'weights folder (default models/weights/<network>)')
    .option('--backend <name>', 'TensorFlow.js backend: tensorflow, wasm or cpu (default the fastest that loads)')
    .action(async (options) => {
      const dataDir = options.data ?? process.env[NMNIST_DIR_VARIABLE];
      if (!dataDir) {
        throw new CaptureError('--data', `no training data given; pass --data DIR (a folder with train/, test/ and labels.csv) or set ${NMNIST_DIR_VARIABLE}`);
      }
      const result = await trainNetwork({
        network: options.network,
        dataDir,
        epochs: options.epochs,
        seed: options.seed,
        batchSize: options.batchSize,
        learningRate: options.learningRate,
        binWidthUs: options.binWidthUs,
        maxShift: options.maxShift,
        surrogateSlope: TRAIN_DEFAULTS.surrogateSlope,
        backend: options.backend,
        onEpoch: (report) =>
          console.error(
            `epoch ${report.epoch}/${options.epochs}: loss ${report.loss.toFixed(4)}, ` +
              `train accuracy ${(100 * report.trainAccuracy).toFixed(1)}%, ${report.seconds.toFixed(1)} s`,
          ),
      });
      const outDir = options.out ?? defaultWeightsDir(result.network.name);
      await saveWeights(outDir, result.network, result.weights);
      writeModelCard(outDir, {
        network: result.network,
        weights: result.weights,
        command: options.data ? commandLine() : `${NMNIST_DIR_VARIABLE}=<folder with train/, test/ and labels.csv> ${commandLine()}`,
        results: [
          `Test accuracy: **${percent(result.testCorrect, result.testSamples)}** (${result.testCorrect} of ${result.testSamples} test recordings),`,
          `measured by the capture runner (kernels quantised to the spec's weightBits) on the ${result.backend} backend.`,
          '',
          '| epoch | loss | train accuracy | seconds |',
          '|---:|---:|---:|---:|',
          ...result.epochs.map(
            (epoch) => `| ${epoch.epoch} | ${epoch.loss.toFixed(4)} | ${(100 * epoch.trainAccuracy).toFixed(1)}% | ${epoch.seconds.toFixed(1)} |`,
          ),
          '',
          'Train accuracy is the argmax of the output spike counts on the shifted training samples during the epoch.',
        ],
      });
      console.log(
        `trained ${result.network.name} on ${result.trainSamples} recordings (backend ${result.backend}, ${result.wallSeconds.toFixed(0)} s): ` +
          `test accuracy ${percent(result.testCorrect, result.testSamples)} (${result.testCorrect}/${result.testSamples}); weights in ${outDir}`,
      );
    });
}

function registerCalibrate(program: Command): void {
  program
    .command('calibrate')
    .description('Initialise an untrained network (seeded He weights) and set each threshold to reach a target firing rate on real recordings')
    .requiredOption('--network <nameOrPath>', 'network spec: a name under models/networks or a path')
    .requiredOption('--events <fileOrDir...>', 'recordings to calibrate on')
    .option('--seed <seed>', 'seed of the He initialisation', nonNegativeInteger, CALIBRATE_DEFAULTS.seed)
    .option('--target-rate <share>', 'share of nonzero outputs each layer should reach', rate, CALIBRATE_DEFAULTS.targetRate)
    .option('--max-samples <count>', 'recordings used at most', positiveInteger, CALIBRATE_DEFAULTS.maxSamples)
    .option('--bin-width-us <us>', 'event bin width per timestep in microseconds (default: the first recording split into T bins)', positiveNumber)
    .option('--out <dir>', 'weights folder (default models/weights/<network>)')
    .option('--backend <name>', 'TensorFlow.js backend: tensorflow, wasm or cpu (default the fastest that loads)')
    .action(async (options) => {
      const result = await calibrateNetwork({
        network: options.network,
        eventFiles: options.events,
        seed: options.seed,
        targetRate: options.targetRate,
        maxSamples: options.maxSamples,
        binWidthUs: options.binWidthUs,
        backend: options.backend,
      });
      const outDir = options.out ?? defaultWeightsDir(result.network.name);
      await saveWeights(outDir, result.network, result.weights);
      writeModelCard(outDir, {
        network: result.network,
        weights: result.weights,
        command: commandLine(),
        results: [
          'These weights are **calibrated, not trained**: the network performs no task. Each threshold',
          `was set by bisection so that the layer's share of nonzero outputs on the calibration recordings is ${options.targetRate}.`,
          '',
          'A layer marked "no" cannot reach the target at any threshold: its input is too sparse (a 1x1 conv of',
          'sparse events, for example), so its threshold ends near the lowest one tried, 10^-4 of the largest charge.',
          '',
          '| layer | threshold | firing rate | target reached |',
          '|---|---:|---:|---|',
          ...result.layers.map(
            (layer) =>
              `| ${layer.layer} | ${layer.threshold.toPrecision(5)} | ${(100 * layer.rate).toFixed(2)}% | ${layer.reachedTarget ? 'yes' : 'no'} |`,
          ),
        ],
      });
      console.log(
        `calibrated, not trained: ${result.network.name} on ${result.files.length} recording(s) (backend ${result.backend}, ` +
          `${result.wallSeconds.toFixed(0)} s); weights in ${outDir}`,
      );
    });
}

function registerCapture(program: Command): void {
  program
    .command('capture')
    .description('Run a network on event recordings and write its per-layer, per-timestep spike activity to a trace file')
    .requiredOption('--network <nameOrPath>', 'network spec: a name under models/networks or a path')
    .requiredOption('--events <fileOrDir...>', 'event recordings, or folders of them')
    .option('--weights <dir>', 'weights folder with model.json and weights.bin (default models/weights/<network>)')
    .option('--limit <count>', 'capture at most this many recordings', positiveInteger)
    .option('--out <dir>', 'output folder (default traces/<network>)')
    .option('--name <file>', 'trace file name (default <network>.trace.pb)')
    .option('--bitmaps', 'store spike bitmaps (default: on for networks of at most 1,000,000 neurons per timestep)')
    .option('--no-bitmaps', 'store counts only, no spike bitmaps')
    .option('--tile-size <pixels>', 'edge of the square tiles that spikes are counted over', positiveInteger, 8)
    .option('--bin-width-us <us>', 'event bin width per timestep in microseconds (default: as in training or calibration)', positiveNumber)
    .option('--backend <name>', 'TensorFlow.js backend: tensorflow, wasm or cpu (default the fastest that loads)')
    .action(async (options) => {
      const bar = process.stderr.isTTY
        ? new SingleBar({ stream: process.stderr, format: 'capture [{bar}] {value}/{total} recordings | {sample}', hideCursor: true })
        : null;
      let started = false;
      const result = await captureTraces({
        network: options.network,
        weightsDir: options.weights,
        eventFiles: options.events,
        limit: options.limit,
        outDir: options.out,
        outName: options.name,
        backend: options.backend,
        bitmaps: options.bitmaps,
        tileSize: options.tileSize,
        binWidthUs: options.binWidthUs,
        onProgress: (done, total, sampleId) => {
          if (!bar) return;
          if (!started) {
            bar.start(total, 0, { sample: '' });
            started = true;
          }
          bar.update(done, { sample: sampleId });
        },
      });
      bar?.stop();
      const accuracy = result.labelled > 0 ? `, accuracy ${percent(result.correct, result.labelled)} (${result.correct}/${result.labelled})` : '';
      console.log(
        `captured ${result.samples} recording(s) with ${result.network} [weights ${result.weightsOrigin}] on backend ${result.backend} ` +
          `in ${result.seconds.toFixed(1)} s (${(result.samples / result.seconds).toFixed(2)} samples/s)${accuracy}: ${result.traceFile}`,
      );
    });
}

function registerTraceInfo(program: Command): void {
  const trace = program.command('trace').description('Inspect trace files written by stemsim capture');
  trace
    .command('info')
    .description("Print a trace's header and the mean firing rate of every layer")
    .argument('<file>', 'trace file (.trace.pb)')
    .action((file: string) => {
      const traceFile = readTraceFile(file);
      const { header } = traceFile;
      const summary = summariseTrace(traceFile);
      console.log(`trace ${path.basename(file)} (format version ${header.formatVersion}, ${header.generator})`);
      console.log(`network      ${header.networkName}  spec sha256 ${header.networkSpecSha256.slice(0, 16)}…`);
      console.log(`weights      ${header.weightsOrigin}, seed ${header.weightsSeed}, sha256 ${header.weightsSha256.slice(0, 16)}…`);
      console.log(`backend      ${header.backend}`);
      console.log(`timesteps    ${header.timesteps} × ${header.binWidthUs} µs bins, tiles ${header.tileHeight}x${header.tileWidth}, bitmaps ${header.hasBitmaps ? 'yes' : 'no'}`);
      console.log(`input        ${header.input.channels}x${header.input.height}x${header.input.width}, ${header.input.bits} bit(s)`);
      const accuracy = summary.labelled > 0 ? `, accuracy ${percent(summary.correct, summary.labelled)} (${summary.correct}/${summary.labelled})` : '';
      console.log(`samples      ${summary.samples}, mean ${summary.meanInputEventsPerStep.toFixed(1)} input events per timestep${accuracy}`);
      const table = new Table({
        head: ['layer', 'type', 'neuron', 'neurons', 'firing rate', 'state changed'],
        style: { head: [], border: [] },
      });
      for (const layer of summary.layers) {
        table.push([
          layer.name,
          layer.type,
          layer.neuronModel,
          layer.neurons,
          `${(100 * layer.meanFiringRate).toFixed(2)}%`,
          layer.meanStateChangedFraction === null ? '-' : `${(100 * layer.meanStateChangedFraction).toFixed(1)}%`,
        ]);
      }
      console.log(table.toString());
    });
}

/** Registers `stemsim train`, `stemsim calibrate`, `stemsim capture` and `stemsim trace info`. */
export function registerCaptureCommands(program: Command): void {
  registerTrain(program);
  registerCalibrate(program);
  registerCapture(program);
  registerTraceInfo(program);
}
