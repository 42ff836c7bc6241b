/**
 * Measures capture speed: samples per second for nmnist-snn on N-MNIST test recordings, and seconds
 * per sample for sew-resnet18 (2x128x128 input, T = 16) on the DVS128 recording. Prints the figures
 * and writes them to the "## Capture" section of bench/RESULTS.md.
 * Run: npx tsx bench/capture.bench.ts [--backend wasm|cpu|tensorflow]
 * The recordings come from $STEMSIM_NMNIST_DIR and $STEMSIM_DVS128_FILE, or the data folder beside the repository.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { selectBackend } from '../src/capture/backend';
import { captureTraces, type CaptureResult } from '../src/capture/capture';
import { PROJECT_ROOT } from '../src/spec/load-json';

const RESULTS_FILE = path.join(__dirname, 'RESULTS.md');
const SECTION = '## Capture';
const NMNIST_SAMPLES = 80;
const SEW_SAMPLES = 3;

const dataRoot = path.resolve(PROJECT_ROOT, '..', 'shared', 'data', 'events');
const nmnistTestDir = path.join(process.env.STEMSIM_NMNIST_DIR ?? path.join(dataRoot, 'nmnist_bin'), 'test');
const dvs128File = process.env.STEMSIM_DVS128_FILE ?? path.join(dataRoot, 'aedat2', 'dvs128_walking.aedat');
const backendIndex = process.argv.indexOf('--backend');
const requestedBackend = backendIndex > 0 ? process.argv[backendIndex + 1] : undefined;

for (const required of [nmnistTestDir, dvs128File]) {
  if (!fs.existsSync(required)) {
    console.error(`capture.bench: ${required} not found; set STEMSIM_NMNIST_DIR and STEMSIM_DVS128_FILE`);
    process.exit(2);
  }
}

interface TimedCapture extends CaptureResult {
  /** CPU time of this process (user + system, all its threads) during the capture, in seconds. */
  cpuSeconds: number;
}

async function timedCapture(network: string, eventFiles: string[], bitmaps: boolean): Promise<TimedCapture> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stemsim-capture-bench-'));
  const cpuBefore = process.cpuUsage();
  try {
    const result = await captureTraces({ network, eventFiles, outDir, backend: requestedBackend, bitmaps });
    const cpu = process.cpuUsage(cpuBefore);
    return { ...result, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

function row(network: string, input: string, result: TimedCapture, bitmaps: string, digits: number): string {
  const perSample = result.seconds / result.samples;
  const cpuPerSample = result.cpuSeconds / result.samples;
  return `| ${network} | ${input} | ${result.samples} | ${bitmaps} | ${result.seconds.toFixed(2)} | ${(1 / perSample).toFixed(1)} | ${perSample.toFixed(digits)} | ${cpuPerSample.toFixed(digits)} |`;
}

async function main(): Promise<void> {
  const backend = await selectBackend(requestedBackend);
  const load = os.loadavg().map((value) => value.toFixed(2)).join(', ');

  // One sample first, so that backend start-up and JIT warm-up stay out of the timed runs.
  await timedCapture('nmnist-snn', [path.join(nmnistTestDir, '60001.bs2')], true);
  const nmnist = await timedCapture('nmnist-snn', [nmnistTestDir], true);
  const nmnistRate = nmnist.samples / nmnist.seconds;
  console.log(
    `nmnist-snn: ${nmnist.samples} samples in ${nmnist.seconds.toFixed(2)} s = ${nmnistRate.toFixed(1)} samples/s ` +
      `(bitmaps on, backend ${nmnist.backend}), accuracy ${nmnist.correct}/${nmnist.labelled}`,
  );

  await timedCapture('sew-resnet18', [dvs128File], false);
  const sew = await timedCapture('sew-resnet18', Array(SEW_SAMPLES).fill(dvs128File), false);
  const sewSeconds = sew.seconds / sew.samples;
  console.log(
    `sew-resnet18: ${sew.samples} samples in ${sew.seconds.toFixed(2)} s = ${sewSeconds.toFixed(2)} s/sample, ` +
      `${(sew.cpuSeconds / sew.samples).toFixed(2)} CPU s/sample (bitmaps off, backend ${sew.backend})`,
  );
  const sewWithBitmaps = await timedCapture('sew-resnet18', [dvs128File], true);
  console.log(`sew-resnet18 with bitmaps: ${sewWithBitmaps.seconds.toFixed(2)} s/sample`);

  const cpuModel = os.cpus()[0]?.model ?? 'unknown';
  const lines = [
    SECTION,
    '',
    `Measured with \`npx tsx bench/capture.bench.ts${requestedBackend ? ` --backend ${requestedBackend}` : ''}\` on ${new Date().toISOString().slice(0, 10)}, one run:`,
    `- CPU: ${cpuModel}, nproc ${os.cpus().length}`,
    `- Node.js ${process.version}, ${os.platform()} ${os.release()}`,
    `- TensorFlow.js backend: ${backend} (layer ops; spiking neurons run in the TypeScript loop)`,
    `- load average at the start (1, 5, 15 min): ${load}; the machine is shared, so figures vary between runs`,
    '',
    'Each figure covers the whole capture: reading and binning the events, running the network, summarising every layer and writing the trace. One warm-up capture of each network runs before its measurements. CPU s/sample is the CPU time of the process per sample, which depends less on the other jobs of the machine than the wall time.',
    '',
    '| network | input | samples | bitmaps | seconds | samples/s | s/sample | CPU s/sample |',
    '|---|---|---:|---|---:|---:|---:|---:|',
    row('nmnist-snn (trained)', 'N-MNIST test, 2x34x34, T=10', nmnist, 'on', 3),
    row('sew-resnet18 (calibrated, not trained)', 'DVS128 walking, 2x128x128, T=16', sew, 'off', 2),
    row('sew-resnet18 (calibrated, not trained)', 'DVS128 walking, 2x128x128, T=16', sewWithBitmaps, 'on', 2),
    '',
    `The nmnist-snn run also classified the test recordings: ${nmnist.correct} of ${nmnist.labelled} correct.`,
    '',
  ];

  const existing = fs.existsSync(RESULTS_FILE) ? fs.readFileSync(RESULTS_FILE, 'utf8') : '# Benchmark results\n';
  const start = existing.indexOf(`${SECTION}\n`);
  let updated: string;
  if (start < 0) {
    updated = `${existing.trimEnd()}\n\n${lines.join('\n')}`;
  } else {
    const next = existing.indexOf('\n## ', start + SECTION.length);
    updated = existing.slice(0, start) + lines.join('\n') + (next < 0 ? '' : existing.slice(next + 1));
  }
  fs.writeFileSync(RESULTS_FILE, updated);
  console.log(`wrote ${SECTION} in ${RESULTS_FILE}`);
}

void main();
