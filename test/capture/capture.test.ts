import * as fs from 'node:fs';
import * as path from 'node:path';
import { captureTraces } from '../../src/capture/capture';
import { CaptureError } from '../../src/capture/errors';
import { encodeTrace, readTraceFile } from '../../src/capture/trace-io';
import { countBits, isBitSet, neuronIndex, spikeBitmap } from '../../src/capture/trace-query';
import type { TraceFile } from '../../src/capture/trace-types';
import { MODEL_JSON_FILE } from '../../src/capture/weights';
import { firstTestRecordings, initialWeightsFolder, nmnistDir, temporaryFolder } from './helpers';

const dataDir = nmnistDir();
const describeWithData = dataDir ? describe : describe.skip;
if (!dataDir) console.warn('N-MNIST recordings not found: set STEMSIM_NMNIST_DIR to run the capture tests');

const BIN_WIDTH_US = 32_000;

async function capture(weightsDir: string, files: string[], outName: string): Promise<{ file: string; trace: TraceFile }> {
  const outDir = temporaryFolder('capture');
  const result = await captureTraces({ network: 'nmnist-snn', weightsDir, eventFiles: files, outDir, outName, backend: 'wasm' });
  return { file: result.traceFile, trace: readTraceFile(result.traceFile) };
}

function labelOf(dataDir: string, file: string): number {
  const rows = fs.readFileSync(path.join(dataDir, 'labels.csv'), 'utf8').split('\n');
  const row = rows.find((line) => line.startsWith(`test/${path.basename(file)},`))!;
  return Number(row.split(',')[1]);
}

describeWithData('capture on N-MNIST recordings', () => {
  let weightsDir: string;
  let files: string[];
  let first: { file: string; trace: TraceFile };

  beforeAll(async () => {
    weightsDir = await initialWeightsFolder('nmnist-snn', 5, BIN_WIDTH_US);
    files = firstTestRecordings(dataDir!, 3);
    first = await capture(weightsDir, files, 'first.trace.pb');
  });

  test('same input and weights give the same bytes', async () => {
    const second = await capture(weightsDir, files, 'second.trace.pb');
    expect(fs.readFileSync(second.file).equals(fs.readFileSync(first.file))).toBe(true);
  });

  test('a sample does not depend on the samples captured with it', async () => {
    const alone = await capture(weightsDir, [files[1]], 'alone.trace.pb');
    expect(encodeTrace({ header: alone.trace.header, samples: [first.trace.samples[1]] })).toEqual(
      encodeTrace({ header: alone.trace.header, samples: alone.trace.samples }),
    );
  });

  test('trace file round-trips byte for byte', () => {
    const bytes = fs.readFileSync(first.file);
    expect(Buffer.from(encodeTrace(first.trace)).equals(bytes)).toBe(true);
  });

  test('header names network, weights and backend', () => {
    const { header } = first.trace;
    expect(header.networkName).toBe('nmnist-snn');
    expect(header.backend).toBe('wasm');
    expect(header.weightsOrigin).toBe('calibrated, not trained');
    expect(header.weightsSeed).toBe(5);
    expect(header.timesteps).toBe(10);
    expect(header.binWidthUs).toBe(BIN_WIDTH_US);
    expect(header.hasBitmaps).toBe(true);
    expect(header.layers.map((layer) => layer.name)).toEqual(['conv1', 'pool1', 'conv2', 'pool2', 'flatten', 'fc']);
    expect(header.weightsSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('counts equal the sums of the bitmaps', () => {
    const { header, samples } = first.trace;
    let spikes = 0;
    for (const sample of samples) {
      expect(sample.records).toHaveLength(header.timesteps * header.layers.length);
      for (const record of sample.records) {
        const info = header.layers[record.layerIndex];
        const neurons = info.channels * info.height * info.width;
        expect(countBits(record.spikeBitmap)).toBe(record.spikeCount);
        expect(record.channelCounts.reduce((a, b) => a + b, 0)).toBe(record.spikeCount);
        expect(record.tileCounts.reduce((a, b) => a + b, 0)).toBe(record.spikeCount);
        expect(record.tileCounts).toHaveLength(info.tileRows * info.tileColumns);
        expect(record.firingRate).toBeCloseTo(record.spikeCount / neurons, 12);
        spikes += record.spikeCount;
      }
      for (const step of sample.input) expect(countBits(step.bitmap)).toBe(step.nonzeroCount);
    }
    expect(spikes).toBeGreaterThan(1000);
  });

  test('pool1 bitmap is the 2x2 maximum of the conv1 bitmap', () => {
    const { header, samples } = first.trace;
    const conv1 = header.layers[0];
    const pool1 = header.layers[1];
    let checked = 0;
    let mismatches = 0;
    let poolSpikes = 0;
    for (let t = 0; t < header.timesteps; t++) {
      const convBits = spikeBitmap(header, samples[0], 'conv1', t);
      const poolBits = spikeBitmap(header, samples[0], 'pool1', t);
      for (let c = 0; c < pool1.channels; c++) {
        for (let y = 0; y < pool1.height; y++) {
          for (let x = 0; x < pool1.width; x++) {
            let any = false;
            for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
              any ||= isBitSet(convBits, neuronIndex(conv1, c, 2 * y + dy, 2 * x + dx));
            }
            const pooled = isBitSet(poolBits, neuronIndex(pool1, c, y, x));
            if (pooled !== any) mismatches++;
            if (pooled) poolSpikes++;
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(10 * 16 * 17 * 17);
    expect(mismatches).toBe(0);
    expect(poolSpikes).toBeGreaterThan(100);
  });

  test('input events per bin add up to the events in the window', () => {
    for (const sample of first.trace.samples) {
      const binned = sample.input.reduce((sum, step) => sum + step.eventCount, 0);
      expect(binned).toBeGreaterThan(0.95 * sample.eventsInFile);
      expect(binned).toBeLessThanOrEqual(sample.eventsInFile);
    }
    // 60001.bs2 is 16,650 bytes of 5-byte events.
    expect(first.trace.samples[0].eventsInFile).toBe(3330);
  });

  test('samples carry id, label and predicted class', () => {
    first.trace.samples.forEach((sample, index) => {
      expect(sample.sampleId).toBe(path.basename(files[index], '.bs2'));
      expect(sample.label).toBe(labelOf(dataDir!, files[index]));
      const counts = sample.classSpikeCounts;
      expect(counts).toHaveLength(10);
      expect(counts[sample.predictedClass!]).toBe(Math.max(...counts));
      // fc spikes over all timesteps equal the class counts.
      const fcTotal = sample.records.filter((record) => record.layerIndex === 5).reduce((sum, record) => sum + record.spikeCount, 0);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(fcTotal);
    });
  });

  test('--limit takes the first recordings of a folder', async () => {
    const result = await captureTraces({
      network: 'nmnist-snn',
      weightsDir,
      eventFiles: [path.join(dataDir!, 'test')],
      limit: 2,
      outDir: temporaryFolder('limit'),
      backend: 'wasm',
      bitmaps: false,
    });
    const trace = readTraceFile(result.traceFile);
    expect(trace.samples.map((sample) => sample.sampleId)).toEqual(['60001', '60002']);
    expect(trace.header.hasBitmaps).toBe(false);
    expect(trace.samples[0].records[0].spikeBitmap).toHaveLength(0);
    expect(trace.samples[0].records[0].spikeCount).toBe(first.trace.samples[0].records[0].spikeCount);
  });
});

describeWithData('capture rejects bad input', () => {
  let weightsDir: string;
  let recording: string;

  beforeAll(async () => {
    weightsDir = await initialWeightsFolder('nmnist-snn', 5, BIN_WIDTH_US);
    recording = firstTestRecordings(dataDir!, 1)[0];
  });

  function editedCopy(edit: (modelJson: Record<string, any>) => void): string {
    const folder = temporaryFolder('bad-weights');
    for (const name of fs.readdirSync(weightsDir)) fs.copyFileSync(path.join(weightsDir, name), path.join(folder, name));
    const file = path.join(folder, MODEL_JSON_FILE);
    const modelJson = JSON.parse(fs.readFileSync(file, 'utf8'));
    edit(modelJson);
    fs.writeFileSync(file, JSON.stringify(modelJson));
    return folder;
  }

  async function captureWith(folder: string, eventFiles = [recording]): Promise<unknown> {
    try {
      await captureTraces({ network: 'nmnist-snn', weightsDir: folder, eventFiles, outDir: temporaryFolder('bad'), backend: 'wasm' });
    } catch (error) {
      return error;
    }
    throw new Error('capture succeeded on bad input');
  }

  test('weights of another network', async () => {
    const folder = editedCopy((modelJson) => (modelJson.userDefinedMetadata.stemsim.network = 'sew-resnet18'));
    const error = await captureWith(folder);
    expect(error).toBeInstanceOf(CaptureError);
    expect((error as Error).message).toBe(
      `${folder}: contains weights of network 'sew-resnet18', not 'nmnist-snn'; pass the matching --weights folder`,
    );
  });

  test('tensor with the wrong shape', async () => {
    const folder = editedCopy((modelJson) => {
      const fc = modelJson.weightsManifest[0].weights.find((entry: { name: string }) => entry.name === 'fc/kernel');
      // Same number of values, so weights.bin still matches the manifest in size.
      fc.shape = [10, 2048];
    });
    expect((await captureWith(folder)) as Error).toHaveProperty(
      'message',
      `${folder}: tensor 'fc/kernel' has shape [10, 2048] but layer 'fc' of network 'nmnist-snn' needs [2048, 10]; retrain or recalibrate for this spec`,
    );
  });

  test('missing kernel', async () => {
    const folder = editedCopy((modelJson) => {
      const entry = modelJson.weightsManifest[0].weights.find((item: { name: string }) => item.name === 'conv2/kernel');
      entry.name = 'conv9/kernel';
    });
    const message = ((await captureWith(folder)) as Error).message;
    expect(message).toMatch(new RegExp(`^${folder}: no tensor 'conv2/kernel' for conv2d layer 'conv2'`));
    expect(message).toMatch(/expected shape \[3, 3, 16, 32\]/);
  });

  test('weights.bin shorter than the manifest', async () => {
    const folder = editedCopy(() => {});
    fs.truncateSync(path.join(folder, 'weights.bin'), 1000);
    expect(((await captureWith(folder)) as Error).message).toMatch(/weights\.bin has 1000 bytes but the manifest describes \d+/);
  });

  test('weights folder that does not exist', async () => {
    expect(((await captureWith('/nonexistent/weights')) as Error).message).toMatch(
      /^\/nonexistent\/weights: weights folder not found; train with 'stemsim train --network nmnist-snn'/,
    );
  });

  test('folder without recordings', async () => {
    const empty = temporaryFolder('no-events');
    fs.writeFileSync(path.join(empty, 'labels.csv'), 'file,label\n');
    expect(((await captureWith(weightsDir, [empty])) as Error).message).toBe(`${empty}: folder contains no event files`);
  });
});
