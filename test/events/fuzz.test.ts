/**
 * Fuzzing with a fixed seed: thousands of mutated copies of the sample recordings (bit flips,
 * byte overwrites, truncation, splices, insertions and deletions). Every case must either decode
 * or throw EventFileError. Any other exception is a failure, and a hang fails on the test timeout.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import seedrandom from 'seedrandom';

import { EventFileError } from '../../src/events/errors';
import { readAllEvents } from '../../src/events/reader';
import type { EventFormat, ReadOptions } from '../../src/events/types';
import { parseAedat4, recompressAedat4 } from './aedat4Build';
import { dataPath, describeWithData, HAVE_DATA, matFile } from './helpers';

const SEED = 'stemsim-events-fuzz-1';
const CASES_PER_SEED = 2_000;
/** Decompression limit for the fuzz cases, so that a corrupted size field cannot allocate much. */
const MAX_DECOMPRESSED_BYTES = 64 << 20;

interface FuzzSeed {
  name: string;
  format: EventFormat;
  extension: string;
  bytes: Buffer;
}

/** Returns the first `bytes` of the file after its header, cut at a multiple of `unit`. */
function prefix(file: Buffer, headerBytes: number, bytes: number, unit: number): Buffer {
  const body = Math.min(file.length - headerBytes, bytes);
  return file.subarray(0, headerBytes + body - (body % unit));
}

/** Keeps the header and the first packet of each of the event, IMU and trigger streams, without a data table. */
function smallAedat4(file: Buffer): Buffer {
  const layout = parseAedat4(file);
  const header = Buffer.from(file.subarray(0, layout.headerEnd));
  header.writeBigInt64LE(-1n, layout.dataTableFieldAt);
  const kept = [0, 2, 3].map((stream) => layout.packets.find((packet) => packet.streamId === stream)!);
  const parts: Buffer[] = [header];
  for (const packet of kept) parts.push(file.subarray(packet.offset, packet.offset + 8 + packet.payload.length));
  return Buffer.concat(parts);
}

function smallMat(compress: boolean): Buffer {
  const { events } = readAllEvents(dataPath('matlab_mat/atis_example_td_em.mat'));
  const count = 2_000;
  const column = (values: ArrayLike<number>, offset: number) => Array.from({ length: count }, (_, i) => values[i] + offset);
  return matFile(
    [
      {
        name: 'TD',
        fields: {
          x: { classId: 11, values: column(events.x, 1) },
          y: { classId: 11, values: column(events.y, 1) },
          ts: { classId: 13, values: column(events.timestampUs, 0) },
          p: { classId: 9, values: column(events.polarity, 0) },
        },
      },
    ],
    compress,
  );
}

function loadSeeds(): FuzzSeed[] {
  if (!HAVE_DATA) return [];
  const read = (relative: string) => fs.readFileSync(dataPath(relative));
  const aedat4 = smallAedat4(read('aedat4/davis346_aestream.aedat4'));
  const ecd = read('ecd_txt/slider_depth_events_first50k.txt');
  return [
    { name: 'N-MNIST', format: 'nmnist', extension: '.bs2', bytes: read('nmnist_bin/train/1.bs2') },
    { name: 'AEDAT 2.0', format: 'aedat2', extension: '.aedat', bytes: prefix(read('aedat2/dvs128_walking.aedat'), 4_612, 16_000, 8) },
    { name: 'AEDAT 4.0 LZ4', format: 'aedat4', extension: '.aedat4', bytes: aedat4 },
    { name: 'AEDAT 4.0 Zstd', format: 'aedat4', extension: '.aedat4', bytes: recompressAedat4(aedat4, 'zstd-raw') },
    { name: 'Prophesee DAT', format: 'dat', extension: '.dat', bytes: read('prophesee_dat/ncars_obj_004397_td.dat') },
    { name: 'EVT 2.0', format: 'evt2', extension: '.raw', bytes: prefix(read('prophesee_raw_evt2/sparklers_gen3_evt2.raw'), 166, 40_000, 4) },
    { name: 'EVT 3.0', format: 'evt3', extension: '.raw', bytes: read('prophesee_raw_evt3/pedestrians_gen41_evt3.raw') },
    { name: 'Event Stream', format: 'es', extension: '.es', bytes: read('eventstream_es/ncars_obj_004397_dvs.es') },
    { name: 'ECD text', format: 'text', extension: '.txt', bytes: ecd.subarray(0, ecd.indexOf('\n', 30_000) + 1) },
    { name: 'NumPy', format: 'npy', extension: '.npy', bytes: read('prophesee_dat/ncars_obj_004397_td.npy') },
    { name: 'MATLAB compressed', format: 'mat', extension: '.mat', bytes: smallMat(true) },
    { name: 'MATLAB uncompressed', format: 'mat', extension: '.mat', bytes: smallMat(false) },
  ];
}

type Random = () => number;

function randomInt(random: Random, below: number): number {
  return Math.floor(random() * below);
}

/** Picks a position, half of the time within the first 1 KiB where headers are. */
function position(random: Random, length: number): number {
  if (length === 0) return 0;
  return random() < 0.5 ? randomInt(random, Math.min(length, 1_024)) : randomInt(random, length);
}

const INTERESTING_BYTES = [0x00, 0xff, 0x7f, 0x80, 0x25, 0x23, 0x0a, 0x01];

/** Applies one to three random mutations; returns the bytes and a description for failure reports. */
function mutate(random: Random, original: Buffer, donors: FuzzSeed[]): { bytes: Buffer; description: string } {
  let bytes = Buffer.from(original);
  const steps: string[] = [];
  const count = 1 + randomInt(random, 3);
  for (let k = 0; k < count; k++) {
    const kind = randomInt(random, 6);
    if (kind === 0) {
      const flips = 1 + randomInt(random, 8);
      for (let f = 0; f < flips && bytes.length > 0; f++) {
        const at = position(random, bytes.length);
        bytes[at] ^= 1 << randomInt(random, 8);
      }
      steps.push(`flip ${flips} bits`);
    } else if (kind === 1 && bytes.length > 0) {
      const at = position(random, bytes.length);
      bytes[at] = INTERESTING_BYTES[randomInt(random, INTERESTING_BYTES.length)];
      steps.push(`set byte ${at}`);
    } else if (kind === 2) {
      const length = randomInt(random, bytes.length + 1);
      bytes = bytes.subarray(0, length);
      steps.push(`truncate to ${length}`);
    } else if (kind === 3 && bytes.length > 0) {
      const donor = random() < 0.7 ? bytes : donors[randomInt(random, donors.length)].bytes;
      const from = randomInt(random, donor.length);
      const length = randomInt(random, Math.min(4_096, donor.length - from) + 1);
      const at = position(random, bytes.length);
      const piece = Buffer.from(donor.subarray(from, from + length));
      piece.copy(bytes, at, 0, Math.min(piece.length, bytes.length - at));
      steps.push(`splice ${length} bytes at ${at}`);
    } else if (kind === 4) {
      const at = position(random, bytes.length);
      const length = 1 + randomInt(random, 64);
      const inserted = Buffer.alloc(length);
      for (let i = 0; i < length; i++) inserted[i] = randomInt(random, 256);
      bytes = Buffer.concat([bytes.subarray(0, at), inserted, bytes.subarray(at)]);
      steps.push(`insert ${length} bytes at ${at}`);
    } else {
      const at = position(random, bytes.length);
      const length = 1 + randomInt(random, 256);
      bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + length)]);
      steps.push(`delete ${length} bytes at ${at}`);
    }
  }
  return { bytes, description: steps.join(', ') };
}

function optionsFor(random: Random, seed: FuzzSeed): ReadOptions {
  return {
    format: random() < 0.5 ? seed.format : undefined,
    maxDecompressedBytes: MAX_DECOMPRESSED_BYTES,
    onInvalidEvent: random() < 0.5 ? 'error' : 'skip',
    onTimeBackwards: (['error', 'skip', 'keep'] as const)[randomInt(random, 3)],
    onTruncated: random() < 0.5 ? 'error' : 'stop',
    chunkSize: random() < 0.2 ? 64 + randomInt(random, 5_000) : undefined,
    blockBytes: random() < 0.2 ? 64 + randomInt(random, 10_000) : undefined,
  };
}

describeWithData('fuzzed recordings', () => {
  const seeds = loadSeeds();
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stemsim-events-fuzz-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // Jest rejects an empty table, which the seeds are when the sample recordings are missing.
  const table = seeds.length > 0 ? seeds.map((seed) => [seed.name, seed] as const) : [['(no seeds)', null] as const];
  test.each(table)('%s: decodes or throws EventFileError', (_name, seedOrNull) => {
    const seed = seedOrNull as FuzzSeed;
    const random = seedrandom(`${SEED}/${seed.name}`);
    const file = path.join(dir, `case${seed.extension}`);
    fs.writeFileSync(file, seed.bytes);
    expect(readAllEvents(file).stats.eventCount).toBeGreaterThan(0);

    const failures: string[] = [];
    let decoded = 0;
    let rejected = 0;
    for (let i = 0; i < CASES_PER_SEED; i++) {
      const { bytes, description } = mutate(random, seed.bytes, seeds);
      const options = optionsFor(random, seed);
      fs.writeFileSync(file, bytes);
      try {
        readAllEvents(file, options);
        decoded++;
      } catch (error) {
        if (error instanceof EventFileError) {
          rejected++;
          if (!error.message.includes(file)) failures.push(`case ${i} (${description}): message does not name the file`);
        } else {
          failures.push(`case ${i} (${description}, options ${JSON.stringify(options)}): ${(error as Error).stack}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(decoded + rejected).toBe(CASES_PER_SEED);
  });
});
