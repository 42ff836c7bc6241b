/**
 * Throughput and memory of the event-file readers.
 *
 * Run: npx tsx bench/events.bench.ts
 *
 * Each sample recording (from shared/data/events beside the repository) is read repeatedly for
 * at least 0.5 s. Then, for N-MNIST, EVT 2.0 and EVT 3.0, files of about 30 and 300 MiB are
 * built in the OS temporary folder by repeating a sample with shifted timestamps. Each is
 * streamed once in a child process of this script and deleted. The script prints events per
 * second and peak memory, and writes them into the "## Event readers" section of
 * bench/RESULTS.md.
 */
import { execFileSync, execSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { openEventFile } from '../src/events/reader';

const DATA_DIR = path.resolve(__dirname, '../../shared/data/events');
const RESULTS_PATH = path.resolve(__dirname, 'RESULTS.md');
const SECTION_HEADING = '## Event readers';
const LARGE_FILE_BYTES = 300 * 1024 * 1024;
const MEDIUM_FILE_BYTES = 30 * 1024 * 1024;
const MIN_SMALL_FILE_SECONDS = 0.5;

interface Measurement {
  label: string;
  format: string;
  fileBytes: number;
  /** Number of times the file was read; events and seconds add up over all runs. */
  runs: number;
  events: number;
  seconds: number;
  /** User plus system CPU time of this process, which other load on the machine inflates less than wall time. */
  cpuSeconds: number;
  peakRssMiB: number;
  peakHeapMiB: number;
  /** Peak memory of ArrayBuffers, where the event chunks and read blocks live (outside the JS heap). */
  peakArrayBuffersMiB: number;
}

/**
 * Streams a file once and returns its event count and elapsed seconds. With `sampleMemory`, it
 * also records the peak RSS and heap, sampled every 16th chunk so that sampling stays out of
 * the timing.
 */
function streamOnce(
  file: string,
  sampleMemory: boolean,
): { events: number; seconds: number; cpuSeconds: number; format: string; peakRss: number; peakHeap: number; peakArrayBuffers: number } {
  let peakRss = 0;
  let peakHeap = 0;
  let peakArrayBuffers = 0;
  const sample = (): void => {
    const memory = process.memoryUsage();
    peakRss = Math.max(peakRss, memory.rss);
    peakHeap = Math.max(peakHeap, memory.heapUsed);
    peakArrayBuffers = Math.max(peakArrayBuffers, memory.arrayBuffers);
  };
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const reader = openEventFile(file);
  let events = 0;
  let chunkIndex = 0;
  for (const chunk of reader.chunks()) {
    events += chunk.length;
    if (sampleMemory && (chunkIndex++ & 15) === 0) sample();
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  sample();
  return {
    events,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    format: reader.info.format,
    peakRss,
    peakHeap,
    peakArrayBuffers,
  };
}

/** Reads a file once to warm up, then repeatedly until `minSeconds` of reading have passed. */
function measure(label: string, file: string, minSeconds: number, sampleMemory: boolean): Measurement {
  streamOnce(file, false);
  let events = 0;
  let seconds = 0;
  let cpuSeconds = 0;
  let peakRss = 0;
  let peakHeap = 0;
  let peakArrayBuffers = 0;
  let format = '';
  let runs = 0;
  do {
    const run = streamOnce(file, sampleMemory);
    runs++;
    events += run.events;
    seconds += run.seconds;
    cpuSeconds += run.cpuSeconds;
    peakRss = Math.max(peakRss, run.peakRss);
    peakHeap = Math.max(peakHeap, run.peakHeap);
    peakArrayBuffers = Math.max(peakArrayBuffers, run.peakArrayBuffers);
    format = run.format;
  } while (seconds < minSeconds);
  return {
    label,
    format,
    fileBytes: fs.statSync(file).size,
    runs,
    events,
    seconds,
    cpuSeconds,
    peakRssMiB: peakRss / 2 ** 20,
    peakHeapMiB: peakHeap / 2 ** 20,
    peakArrayBuffersMiB: peakArrayBuffers / 2 ** 20,
  };
}

/** Repeats N-MNIST records with each copy shifted by `periodUs`; the 23-bit time wraps, as a long recording's would. */
function writeLargeNmnist(source: string, target: string, targetBytes: number): void {
  const records = fs.readFileSync(source);
  const periodUs = 310_000;
  const copy = Buffer.alloc(records.length);
  const fd = fs.openSync(target, 'w');
  try {
    for (let k = 0, written = 0; written < targetBytes; k++, written += copy.length) {
      for (let i = 0; i + 5 <= records.length; i += 5) {
        const raw = ((records[i + 2] & 0x7f) << 16) | (records[i + 3] << 8) | records[i + 4];
        const shifted = (raw + k * periodUs) % 2 ** 23;
        copy[i] = records[i];
        copy[i + 1] = records[i + 1];
        copy[i + 2] = (records[i + 2] & 0x80) | (shifted >> 16);
        copy[i + 3] = (shifted >> 8) & 0xff;
        copy[i + 4] = shifted & 0xff;
      }
      fs.writeSync(fd, copy);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Repeats the body of a Prophesee RAW file, adding `k * span` to the TIME_HIGH words of copy k. */
function writeLargeRaw(source: string, target: string, encoding: 'evt2' | 'evt3', targetBytes: number): void {
  const file = fs.readFileSync(source);
  const reader = openEventFile(source);
  const headerBytes = reader.info.headerBytes;
  reader.close();
  const header = file.subarray(0, headerBytes);
  const body = Buffer.from(file.subarray(headerBytes));
  const copy = Buffer.alloc(body.length);
  const wordBytes = encoding === 'evt2' ? 4 : 2;
  const timeHighMask = encoding === 'evt2' ? 0x0fffffff : 0xfff;
  const readWord = (b: Buffer, i: number): number => (encoding === 'evt2' ? b.readUInt32LE(i) : b.readUInt16LE(i));
  const typeOf = (word: number): number => (encoding === 'evt2' ? word >>> 28 : word >>> 12);

  let minHigh = Infinity;
  let maxHigh = -Infinity;
  for (let i = 0; i + wordBytes <= body.length; i += wordBytes) {
    const word = readWord(body, i);
    if (typeOf(word) !== 0x8) continue;
    minHigh = Math.min(minHigh, word & timeHighMask);
    maxHigh = Math.max(maxHigh, word & timeHighMask);
  }
  const span = maxHigh - minHigh + 1;

  const fd = fs.openSync(target, 'w');
  try {
    fs.writeSync(fd, header);
    for (let k = 0, written = header.length; written < targetBytes; k++, written += copy.length) {
      body.copy(copy);
      for (let i = 0; i + wordBytes <= copy.length; i += wordBytes) {
        const word = readWord(copy, i);
        if (typeOf(word) !== 0x8) continue;
        const shifted = ((word & timeHighMask) + k * span) % (timeHighMask + 1);
        if (encoding === 'evt2') copy.writeUInt32LE(((0x8 << 28) | shifted) >>> 0, i);
        else copy.writeUInt16LE((0x8 << 12) | shifted, i);
      }
      fs.writeSync(fd, copy);
    }
  } finally {
    fs.closeSync(fd);
  }
}

function machineDescription(): string[] {
  const cpuModel = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  const cores = execSync('nproc').toString().trim();
  const load = os.loadavg().map((value) => value.toFixed(2)).join(', ');
  return [
    `- CPU: ${cpuModel}, nproc ${cores}`,
    `- Node.js ${process.version}, ${os.platform()} ${os.release()}`,
    `- load average at the start (1, 5, 15 min): ${load}; the machine is shared, so figures vary between runs`,
  ];
}

function formatTable(rows: Measurement[]): string[] {
  const lines = [
    '| file | format | bytes | events | runs | M events/s | M events per CPU-s | MB/s | peak RSS MiB | peak heap MiB | peak ArrayBuffers MiB |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    const eventsPerSecond = row.events / row.seconds;
    const bytesPerSecond = (row.fileBytes * row.runs) / row.seconds;
    lines.push(
      `| ${row.label} | ${row.format} | ${row.fileBytes.toLocaleString('en-US')} | ${(row.events / row.runs).toLocaleString('en-US')} | ` +
        `${row.runs} | ${(eventsPerSecond / 1e6).toFixed(1)} | ${(row.events / row.cpuSeconds / 1e6).toFixed(1)} | ` +
        `${(bytesPerSecond / 1e6).toFixed(0)} | ${row.peakRssMiB.toFixed(0)} | ${row.peakHeapMiB.toFixed(0)} | ${row.peakArrayBuffersMiB.toFixed(0)} |`,
    );
  }
  return lines;
}

function writeResults(section: string[]): void {
  const existing = fs.existsSync(RESULTS_PATH) ? fs.readFileSync(RESULTS_PATH, 'utf8') : '# Benchmark results\n';
  const lines = existing.split('\n');
  const start = lines.findIndex((line) => line.trim() === SECTION_HEADING);
  let updated: string[];
  if (start < 0) {
    updated = [...lines.slice(0, lines.length - (lines[lines.length - 1] === '' ? 1 : 0)), '', ...section, ''];
  } else {
    let end = lines.findIndex((line, index) => index > start && line.startsWith('## '));
    if (end < 0) end = lines.length;
    updated = [...lines.slice(0, start), ...section, '', ...lines.slice(end)];
  }
  fs.writeFileSync(RESULTS_PATH, `${updated.join('\n').replace(/\n+$/, '')}\n`);
}

const LARGE_INPUTS: Record<string, { label: string; source: string; extension: string; write: (source: string, target: string, bytes: number) => void }> = {
  nmnist: { label: 'N-MNIST', source: 'nmnist_bin/train/1.bs2', extension: '.bs2', write: writeLargeNmnist },
  evt2: {
    label: 'EVT 2.0',
    source: 'prophesee_raw_evt2/sparklers_gen3_evt2.raw',
    extension: '.raw',
    write: (source, target, bytes) => writeLargeRaw(source, target, 'evt2', bytes),
  },
  evt3: {
    label: 'EVT 3.0',
    source: 'prophesee_raw_evt3/pedestrians_gen41_evt3.raw',
    extension: '.raw',
    write: (source, target, bytes) => writeLargeRaw(source, target, 'evt3', bytes),
  },
};

/**
 * Child-process mode (`--large KIND BYTES`): builds one large file, streams it once, deletes it
 * and prints the measurement as JSON. Each size runs in a fresh process so that the peak RSS
 * belongs to that file alone.
 */
function measureLargeFile(kind: string, bytes: number): void {
  const input = LARGE_INPUTS[kind];
  const target = path.join(os.tmpdir(), `stemsim-events-bench-${process.pid}${input.extension}`);
  try {
    input.write(path.join(DATA_DIR, input.source), target, bytes);
    const row = measure(`${input.label}, ${Math.round(bytes / 2 ** 20)} MiB`, target, 0, true);
    process.stdout.write(JSON.stringify(row));
  } finally {
    fs.rmSync(target, { force: true });
  }
}

function main(): void {
  if (!fs.existsSync(DATA_DIR)) {
    console.error(`The sample recordings folder ${DATA_DIR} is missing; nothing to measure.`);
    process.exitCode = 1;
    return;
  }
  const largeFlag = process.argv.indexOf('--large');
  if (largeFlag >= 0) {
    measureLargeFile(process.argv[largeFlag + 1], Number(process.argv[largeFlag + 2]));
    return;
  }

  const machine = machineDescription();
  const realFiles: Array<[string, string]> = [
    ['N-MNIST train/1.bs2', 'nmnist_bin/train/1.bs2'],
    ['AEDAT 2.0 DVS128', 'aedat2/dvs128_walking.aedat'],
    ['AEDAT 4.0 LZ4 DAVIS346', 'aedat4/davis346_aestream.aedat4'],
    ['Prophesee DAT', 'prophesee_dat/ncars_obj_004397_td.dat'],
    ['EVT 2.0 sparklers', 'prophesee_raw_evt2/sparklers_gen3_evt2.raw'],
    ['EVT 3.0 pedestrians', 'prophesee_raw_evt3/pedestrians_gen41_evt3.raw'],
    ['Event Stream DVS', 'eventstream_es/ncars_obj_004397_dvs.es'],
    ['ECD text', 'ecd_txt/slider_depth_events_first50k.txt'],
    ['NumPy .npy', 'prophesee_dat/ncars_obj_004397_td.npy'],
    ['MATLAB .mat TD', 'matlab_mat/atis_example_td_em.mat'],
  ];
  const realRows: Measurement[] = [];
  for (const [label, relative] of realFiles) {
    const row = measure(label, path.join(DATA_DIR, relative), MIN_SMALL_FILE_SECONDS, false);
    realRows.push(row);
    console.log(`${label}: ${(row.events / row.seconds / 1e6).toFixed(1)} M events/s`);
  }

  const largeRows: Measurement[] = [];
  for (const kind of Object.keys(LARGE_INPUTS)) {
    for (const bytes of [MEDIUM_FILE_BYTES, LARGE_FILE_BYTES]) {
      const output = execFileSync(process.execPath, [...process.execArgv, __filename, '--large', kind, String(bytes)], {
        maxBuffer: 1 << 20,
      });
      const row = JSON.parse(output.toString()) as Measurement;
      largeRows.push(row);
      console.log(`${row.label}: ${(row.events / row.seconds / 1e6).toFixed(1)} M events/s, peak RSS ${row.peakRssMiB.toFixed(0)} MiB`);
    }
  }

  const section = [
    SECTION_HEADING,
    '',
    `Measured with \`npx tsx bench/events.bench.ts\` on ${new Date().toISOString().slice(0, 10)}, one run:`,
    ...machine,
    '',
    'Sample recordings, each opened and read repeatedly for at least 0.5 s. The events column is per run, and the rate includes opening the file and parsing its header:',
    '',
    ...formatTable(realRows),
    '',
    'Large files, made by repeating a sample with shifted timestamps in the OS temporary folder and deleted afterwards. ' +
      'Each is streamed once in 64k-event chunks in its own process, so the peak memory belongs to that file. ' +
      'Comparing the two sizes shows whether memory grows with the file. ' +
      'RSS also counts chunks that the program has dropped but the garbage collector has not yet freed:',
    '',
    ...formatTable(largeRows),
  ];
  console.log(section.join('\n'));
  writeResults(section);
}

main();
