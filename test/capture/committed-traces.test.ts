import * as fs from 'node:fs';
import * as path from 'node:path';
import { captureTraces } from '../../src/capture/capture';
import { loadNetworkFile, sha256Hex } from '../../src/capture/network-file';
import { encodeTrace, readTraceFile } from '../../src/capture/trace-io';
import { countBits } from '../../src/capture/trace-query';
import { PROJECT_ROOT } from '../../src/spec/load-json';
import { firstTestRecordings, nmnistDir, temporaryFolder } from './helpers';

const TRACE_FILE = path.join(PROJECT_ROOT, 'traces', 'nmnist-snn', 'nmnist-snn.trace.pb');
const WEIGHTS_BIN = path.join(PROJECT_ROOT, 'models', 'weights', 'nmnist-snn', 'weights.bin');
const dataDir = nmnistDir();
const testWithData = dataDir ? test : test.skip;

describe('committed nmnist-snn trace', () => {
  const trace = readTraceFile(TRACE_FILE);

  test('matches the shipped spec and weights', () => {
    const { specSha256 } = loadNetworkFile('nmnist-snn');
    expect(trace.header.networkSpecSha256).toBe(specSha256);
    expect(trace.header.weightsSha256).toBe(sha256Hex(fs.readFileSync(WEIGHTS_BIN)));
    expect(trace.header.weightsOrigin).toBe('trained');
    expect(trace.samples.map((sample) => sample.sampleId)).toEqual(['60001', '60002', '60003', '60004', '60006', '60007', '60008', '60009']);
  });

  test('counts equal the sums of the bitmaps', () => {
    let records = 0;
    for (const sample of trace.samples) {
      for (const record of sample.records) {
        expect(countBits(record.spikeBitmap)).toBe(record.spikeCount);
        expect(record.channelCounts.reduce((a, b) => a + b, 0)).toBe(record.spikeCount);
        expect(record.tileCounts.reduce((a, b) => a + b, 0)).toBe(record.spikeCount);
        records++;
      }
    }
    expect(records).toBe(8 * 10 * 6);
  });

  test('round-trips byte for byte', () => {
    expect(Buffer.from(encodeTrace(trace)).equals(fs.readFileSync(TRACE_FILE))).toBe(true);
  });

  test('trained network classifies most of its samples', () => {
    const correct = trace.samples.filter((sample) => sample.label === sample.predictedClass).length;
    expect(correct).toBeGreaterThanOrEqual(7);
  });

  testWithData('recapture gives the committed bytes', async () => {
    const result = await captureTraces({
      network: 'nmnist-snn',
      eventFiles: firstTestRecordings(dataDir!, 8),
      outDir: temporaryFolder('recapture'),
      backend: trace.header.backend,
    });
    expect(fs.readFileSync(result.traceFile).equals(fs.readFileSync(TRACE_FILE))).toBe(true);
  });
});
