import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';

import { EventFileError } from '../../src/events/errors';
import { readAllEvents } from '../../src/events/reader';
import type { EventArrays, ReadOptions } from '../../src/events/types';

/** The shared sample recordings, read in place and never copied into the repository. */
export const DATA_DIR = path.resolve(__dirname, '../../../shared/data/events');
export const HAVE_DATA = fs.existsSync(path.join(DATA_DIR, 'README.md'));

/** `describe` when the sample recordings exist, else a skipped block whose name says why. */
export function describeWithData(name: string, body: () => void): void {
  if (HAVE_DATA) {
    describe(name, body);
  } else {
    describe.skip(`${name} (skipped: sample recordings not found at ${DATA_DIR})`, body);
  }
}

export function dataPath(relative: string): string {
  return path.join(DATA_DIR, relative);
}

/**
 * Returns a function that gives a temporary folder, created on first call and removed after the
 * calling test file. The folder is created lazily because Jest runs no afterAll hook in a file
 * whose tests are all skipped.
 */
export function makeTempDir(): () => string {
  let dir: string | null = null;
  afterAll(() => {
    if (dir !== null) fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => (dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'stemsim-events-test-')));
}

export function writeTemp(dir: string, name: string, bytes: Uint8Array | string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

/** Runs `fn`, expects an EventFileError, and returns it. */
export function expectEventFileError(fn: () => unknown): EventFileError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EventFileError);
    return error as EventFileError;
  }
  throw new Error('expected an EventFileError, but the call succeeded');
}

export function readEvents(file: string, options: ReadOptions = {}): EventArrays {
  return readAllEvents(file, options).events;
}

/** Counts the events at which two arrays differ. */
export function countDifferences(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let differences = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differences++;
  return differences;
}

/** Builds a Prophesee RAW file from header lines and 16-bit or 32-bit words. */
export function rawFile(headerLines: string[], words: number[], wordBytes: 2 | 4): Buffer {
  const header = Buffer.from(headerLines.map((line) => `${line}\n`).join(''), 'latin1');
  const body = Buffer.alloc(words.length * wordBytes);
  words.forEach((word, i) => {
    if (wordBytes === 2) body.writeUInt16LE(word, i * 2);
    else body.writeUInt32LE(word >>> 0, i * 4);
  });
  return Buffer.concat([header, body]);
}

/** Writes a structured `.npy` file from named columns of one dtype each. */
export function npyFile(columns: Array<{ name: string; type: string; values: number[] }>): Buffer {
  const descr = `[${columns.map((c) => `('${c.name}', '${c.type}')`).join(', ')}]`;
  const count = columns[0].values.length;
  let dict = `{'descr': ${descr}, 'fortran_order': False, 'shape': (${count},), }`;
  const unpadded = 10 + dict.length + 1;
  dict += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';

  const header = Buffer.alloc(10);
  header[0] = 0x93;
  header.write('NUMPY', 1, 'latin1');
  header[6] = 1;
  header[7] = 0;
  header.writeUInt16LE(dict.length, 8);

  const sizes = columns.map((c) => Number(c.type.slice(2)));
  const recordBytes = sizes.reduce((a, b) => a + b, 0);
  const body = Buffer.alloc(recordBytes * count);
  for (let i = 0; i < count; i++) {
    let offset = i * recordBytes;
    columns.forEach((column, k) => {
      const value = column.values[i];
      const kind = column.type.slice(1);
      if (kind === 'i8') body.writeBigInt64LE(BigInt(value), offset);
      else if (kind === 'u8') body.writeBigUInt64LE(BigInt(value), offset);
      else if (kind === 'i4') body.writeInt32LE(value, offset);
      else if (kind === 'u4') body.writeUInt32LE(value, offset);
      else if (kind === 'i2') body.writeInt16LE(value, offset);
      else if (kind === 'u2') body.writeUInt16LE(value, offset);
      else if (kind === 'u1' || kind === 'b1') body.writeUInt8(value, offset);
      else if (kind === 'f8') body.writeDoubleLE(value, offset);
      else throw new Error(`npyFile: unsupported type ${column.type}`);
      offset += sizes[k];
    });
  }
  return Buffer.concat([header, Buffer.from(dict, 'latin1'), body]);
}

/** A numeric struct field for `matFile`: mxClass 11 is uint16, 13 uint32, 9 uint8, 6 double. */
export interface MatField {
  classId: 6 | 9 | 11 | 13;
  values: number[];
}

const MAT_ELEMENT_TYPE: Record<MatField['classId'], { type: number; bytes: number }> = {
  6: { type: 9, bytes: 8 },
  9: { type: 2, bytes: 1 },
  11: { type: 4, bytes: 2 },
  13: { type: 6, bytes: 4 },
};

function matElement(type: number, data: Buffer): Buffer {
  const tag = Buffer.alloc(8);
  tag.writeUInt32LE(type, 0);
  tag.writeUInt32LE(data.length, 4);
  const padding = Buffer.alloc((8 - (data.length % 8)) % 8);
  return Buffer.concat([tag, data, padding]);
}

function matArrayHeader(classId: number, dims: number[], name: string): Buffer {
  const flags = Buffer.alloc(8);
  flags.writeUInt32LE(classId, 0);
  const dimsData = Buffer.alloc(4 * dims.length);
  dims.forEach((d, i) => dimsData.writeInt32LE(d, 4 * i));
  return Buffer.concat([matElement(6, flags), matElement(5, dimsData), matElement(1, Buffer.from(name, 'latin1'))]);
}

function matNumeric(field: MatField): Buffer {
  const { type, bytes } = MAT_ELEMENT_TYPE[field.classId];
  const data = Buffer.alloc(bytes * field.values.length);
  field.values.forEach((value, i) => {
    if (bytes === 1) data.writeUInt8(value, i);
    else if (bytes === 2) data.writeUInt16LE(value, 2 * i);
    else if (bytes === 4) data.writeUInt32LE(value, 4 * i);
    else data.writeDoubleLE(value, 8 * i);
  });
  const body = Buffer.concat([matArrayHeader(field.classId, [field.values.length, 1], ''), matElement(type, data)]);
  return matElement(14, body);
}

/** Writes a MATLAB 5.0 MAT-file with 1x1 structs of numeric column fields, compressed or not. */
export function matFile(variables: Array<{ name: string; fields: Record<string, MatField> }>, compress: boolean): Buffer {
  const header = Buffer.alloc(128, 0x20);
  header.write('MATLAB 5.0 MAT-file, written by the stemsim event tests', 0, 'latin1');
  header.fill(0, 116, 124);
  header.writeUInt16LE(0x0100, 124);
  header.write('IM', 126, 'latin1');
  const parts: Buffer[] = [header];
  for (const variable of variables) {
    const names = Object.keys(variable.fields);
    const nameLength = 32;
    const lengthTag = Buffer.alloc(8);
    lengthTag.writeUInt32LE((4 << 16) | 5, 0);
    lengthTag.writeInt32LE(nameLength, 4);
    const nameData = Buffer.alloc(nameLength * names.length);
    names.forEach((name, i) => nameData.write(name, i * nameLength, 'latin1'));
    const body = Buffer.concat([
      matArrayHeader(2, [1, 1], variable.name),
      lengthTag,
      matElement(1, nameData),
      ...names.map((name) => matNumeric(variable.fields[name])),
    ]);
    const matrix = matElement(14, body);
    if (compress) {
      const deflated = zlib.deflateSync(matrix);
      const tag = Buffer.alloc(8);
      tag.writeUInt32LE(15, 0);
      tag.writeUInt32LE(deflated.length, 4);
      parts.push(tag, deflated);
    } else {
      parts.push(matrix);
    }
  }
  return Buffer.concat(parts);
}
