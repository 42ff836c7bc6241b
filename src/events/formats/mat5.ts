/**
 * Parser of MATLAB Level 5 MAT-files (the format of `save -v6` and `-v7`): a 128-byte text
 * header with an endian indicator, then data elements of an 8-byte tag (type, size) or a
 * 4-byte small-element tag, padded to 8 bytes. `miCOMPRESSED` elements hold one zlib-compressed
 * element, and `miMATRIX` elements hold numeric arrays, structs and cells.
 *
 * Written by hand because only the event struct is needed, and every element it reads is
 * bounds-checked so that a damaged file raises MatFormatError.
 * Numeric data is returned as Float64Array; int64 values beyond 2^53 lose precision.
 */
import * as zlib from 'zlib';

export class MatFormatError extends Error {
  constructor(
    message: string,
    /** File offset of the top-level element that contains the problem. */
    readonly byteOffset: number,
  ) {
    super(message);
  }
}

const MI_INT8 = 1;
const MI_UINT8 = 2;
const MI_INT16 = 3;
const MI_UINT16 = 4;
const MI_INT32 = 5;
const MI_UINT32 = 6;
const MI_SINGLE = 7;
const MI_DOUBLE = 9;
const MI_INT64 = 12;
const MI_UINT64 = 13;
const MI_MATRIX = 14;
const MI_COMPRESSED = 15;
const MI_UTF8 = 16;

const MX_CELL = 1;
const MX_STRUCT = 2;
const MX_OBJECT = 3;
const MX_FIRST_NUMERIC = 6;
const MX_LAST_NUMERIC = 15;
const COMPLEX_FLAG = 0x0800;
const HEADER_BYTES = 128;

const ELEMENT_BYTES: Record<number, number> = {
  [MI_INT8]: 1,
  [MI_UINT8]: 1,
  [MI_INT16]: 2,
  [MI_UINT16]: 2,
  [MI_INT32]: 4,
  [MI_UINT32]: 4,
  [MI_SINGLE]: 4,
  [MI_DOUBLE]: 8,
  [MI_INT64]: 8,
  [MI_UINT64]: 8,
  [MI_UTF8]: 1,
};

export interface MatArray {
  name: string;
  /** mxClass code: 1 cell, 2 struct, 6 double, 9 uint8, 11 uint16, 13 uint32, ... */
  classId: number;
  dims: number[];
  /** Real part of a numeric array in column-major order. */
  data?: Float64Array;
  /** Struct fields, each with one MatArray per struct element in column-major order. */
  fields?: Map<string, MatArray[]>;
  cells?: MatArray[];
}

export interface MatVariableEntry {
  name: string;
  classId: number;
  /** File offset of the top-level element. */
  offset: number;
  compressed: boolean;
  /** Byte range of the element's data in the file. */
  dataStart: number;
  dataBytes: number;
}

interface Tag {
  type: number;
  size: number;
  dataStart: number;
  next: number;
}

export class Mat5Reader {
  readonly littleEndian: boolean;
  readonly description: string;

  constructor(private readonly head: Buffer) {
    if (head.length < HEADER_BYTES) throw new MatFormatError('the file ends inside the 128-byte MAT-file header', head.length);
    const indicator = head.toString('latin1', 126, 128);
    if (indicator !== 'IM' && indicator !== 'MI') {
      throw new MatFormatError(`invalid MAT-file endian indicator ${JSON.stringify(indicator)} (expected IM or MI)`, 126);
    }
    this.littleEndian = indicator === 'IM';
    this.description = head.toString('latin1', 0, 116).replace(/[\s\0]+$/, '');
  }

  /** Reads the tag at `pos` of `view`; small elements keep their data inside the 8-byte tag. */
  readTag(view: DataView, pos: number, end: number, errorOffset: number, topLevel = false): Tag {
    if (pos + 8 > end) throw new MatFormatError(`a data element tag at ${pos} runs past the end of its container`, errorOffset);
    const le = this.littleEndian;
    const first = view.getUint32(pos, le);
    const smallSize = first >>> 16;
    if (smallSize !== 0) {
      if (smallSize > 4) throw new MatFormatError(`small data element of ${smallSize} bytes (at most 4 allowed)`, errorOffset);
      return { type: first & 0xffff, size: smallSize, dataStart: pos + 4, next: pos + 8 };
    }
    const size = view.getUint32(pos + 4, le);
    const dataStart = pos + 8;
    if (dataStart + size > end) {
      throw new MatFormatError(`a data element of ${size} bytes at ${pos} runs past the end of its container`, errorOffset);
    }
    const padded = first === MI_COMPRESSED && topLevel ? size : Math.ceil(size / 8) * 8;
    return { type: first, size, dataStart, next: Math.min(end, dataStart + padded) };
  }

  /**
   * Lists the top-level variables with their names and classes. For compressed variables only
   * the first kilobyte is inflated to read the name.
   */
  listVariables(readAt: (position: number, length: number) => Buffer, fileSize: number): MatVariableEntry[] {
    const entries: MatVariableEntry[] = [];
    let pos = HEADER_BYTES;
    while (pos + 8 <= fileSize) {
      const tagBytes = readAt(pos, 8);
      const tagView = new DataView(tagBytes.buffer, tagBytes.byteOffset, 8);
      const first = tagView.getUint32(0, this.littleEndian);
      const size = first >>> 16 !== 0 ? 0 : tagView.getUint32(4, this.littleEndian);
      const dataStart = pos + 8;
      if (dataStart + size > fileSize) {
        throw new MatFormatError(`the file ends inside a ${size}-byte variable element`, pos);
      }
      if (first === MI_COMPRESSED || first === MI_MATRIX) {
        const compressed = first === MI_COMPRESSED;
        const prefix = compressed ? inflatePrefix(readAt(dataStart, Math.min(size, 1024)), pos) : readAt(pos, Math.min(size + 8, 512));
        const { name, classId } = this.readMatrixHeader(prefix, compressed, pos);
        entries.push({ name, classId, offset: pos, compressed, dataStart, dataBytes: size });
      }
      pos = dataStart + (first === MI_COMPRESSED ? size : Math.ceil(size / 8) * 8);
    }
    return entries;
  }

  /** Parses one top-level variable fully. */
  readVariable(entry: MatVariableEntry, readAt: (position: number, length: number) => Buffer, maxBytes: number): MatArray {
    let bytes: Buffer;
    if (entry.compressed) {
      try {
        bytes = zlib.inflateSync(readAt(entry.dataStart, entry.dataBytes), { maxOutputLength: maxBytes });
      } catch (error) {
        throw new MatFormatError(`cannot inflate the compressed variable ${entry.name} (${(error as Error).message})`, entry.offset);
      }
    } else {
      bytes = readAt(entry.offset, entry.dataBytes + 8);
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const tag = this.readTag(view, 0, bytes.length, entry.offset);
    if (tag.type !== MI_MATRIX) {
      throw new MatFormatError(`variable element has type ${tag.type}, expected miMATRIX (14)`, entry.offset);
    }
    return this.parseMatrix(view, tag.dataStart, tag.dataStart + tag.size, entry.offset, 0);
  }

  private readMatrixHeader(prefix: Buffer, compressed: boolean, offset: number): { name: string; classId: number } {
    const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
    if (prefix.length < 8) throw new MatFormatError('variable element is too short', offset);
    const outerType = view.getUint32(0, this.littleEndian);
    if (compressed && outerType !== MI_MATRIX) return { name: '', classId: -1 };
    const end = prefix.length;
    const flags = this.readTag(view, 8, end, offset);
    const dims = this.readTag(view, flags.next, end, offset);
    const nameTag = this.readTag(view, dims.next, end, offset);
    const classId = flags.size >= 4 ? view.getUint32(flags.dataStart, this.littleEndian) & 0xff : -1;
    const name = prefix.toString('latin1', nameTag.dataStart, nameTag.dataStart + nameTag.size);
    return { name, classId };
  }

  private parseMatrix(view: DataView, start: number, end: number, errorOffset: number, depth: number): MatArray {
    if (depth > 32) throw new MatFormatError('arrays are nested more than 32 levels deep', errorOffset);
    if (start === end) return { name: '', classId: 0, dims: [0, 0] };
    const le = this.littleEndian;
    const flagsTag = this.readTag(view, start, end, errorOffset);
    if (flagsTag.type !== MI_UINT32 || flagsTag.size < 4) {
      throw new MatFormatError('array flags subelement is missing', errorOffset);
    }
    const flags = view.getUint32(flagsTag.dataStart, le);
    const classId = flags & 0xff;
    const dimsTag = this.readTag(view, flagsTag.next, end, errorOffset);
    if (dimsTag.type !== MI_INT32) throw new MatFormatError('dimensions subelement is missing', errorOffset);
    const dims: number[] = [];
    for (let k = 0; k + 4 <= dimsTag.size; k += 4) dims.push(view.getInt32(dimsTag.dataStart + k, le));
    if (dims.some((d) => d < 0)) throw new MatFormatError(`negative array dimension in ${dims.join('x')}`, errorOffset);
    const count = dims.reduce((product, d) => product * d, 1);
    const nameTag = this.readTag(view, dimsTag.next, end, errorOffset);
    const name = latin1(view, nameTag.dataStart, nameTag.size);
    const array: MatArray = { name, classId, dims };
    let pos = nameTag.next;

    if (classId === MX_STRUCT || classId === MX_OBJECT) {
      if (classId === MX_OBJECT) pos = this.readTag(view, pos, end, errorOffset).next;
      const lengthTag = this.readTag(view, pos, end, errorOffset);
      const nameLength = lengthTag.size >= 4 ? view.getInt32(lengthTag.dataStart, le) : 0;
      const namesTag = this.readTag(view, lengthTag.next, end, errorOffset);
      if (nameLength <= 0) throw new MatFormatError(`invalid struct field name length ${nameLength}`, errorOffset);
      const fieldCount = Math.floor(namesTag.size / nameLength);
      const names: string[] = [];
      for (let f = 0; f < fieldCount; f++) {
        names.push(latin1(view, namesTag.dataStart + f * nameLength, nameLength).replace(/\0.*$/, ''));
      }
      array.fields = new Map(names.map((fieldName) => [fieldName, [] as MatArray[]]));
      pos = namesTag.next;
      for (let element = 0; element < count; element++) {
        for (const fieldName of names) {
          const child = this.readTag(view, pos, end, errorOffset);
          if (child.type !== MI_MATRIX) throw new MatFormatError(`struct field ${fieldName} is not a miMATRIX element`, errorOffset);
          array.fields.get(fieldName)!.push(this.parseMatrix(view, child.dataStart, child.dataStart + child.size, errorOffset, depth + 1));
          pos = child.next;
        }
      }
    } else if (classId === MX_CELL) {
      array.cells = [];
      for (let element = 0; element < count; element++) {
        const child = this.readTag(view, pos, end, errorOffset);
        if (child.type !== MI_MATRIX) throw new MatFormatError('cell element is not a miMATRIX element', errorOffset);
        array.cells.push(this.parseMatrix(view, child.dataStart, child.dataStart + child.size, errorOffset, depth + 1));
        pos = child.next;
      }
    } else if (classId >= MX_FIRST_NUMERIC && classId <= MX_LAST_NUMERIC) {
      const realTag = this.readTag(view, pos, end, errorOffset);
      array.data = this.toFloat64(view, realTag, errorOffset);
      if (array.data.length !== count) {
        throw new MatFormatError(`array ${name} has ${array.data.length} values but dimensions ${dims.join('x')}`, errorOffset);
      }
      if (flags & COMPLEX_FLAG) array.data = undefined;
    }
    return array;
  }

  private toFloat64(view: DataView, tag: Tag, errorOffset: number): Float64Array {
    const size = ELEMENT_BYTES[tag.type];
    if (size === undefined) throw new MatFormatError(`numeric data of unsupported element type ${tag.type}`, errorOffset);
    const le = this.littleEndian;
    const count = Math.floor(tag.size / size);
    const out = new Float64Array(count);
    const at = tag.dataStart;
    switch (tag.type) {
      case MI_INT8:
        for (let k = 0; k < count; k++) out[k] = view.getInt8(at + k);
        break;
      case MI_UINT8:
      case MI_UTF8:
        for (let k = 0; k < count; k++) out[k] = view.getUint8(at + k);
        break;
      case MI_INT16:
        for (let k = 0; k < count; k++) out[k] = view.getInt16(at + 2 * k, le);
        break;
      case MI_UINT16:
        for (let k = 0; k < count; k++) out[k] = view.getUint16(at + 2 * k, le);
        break;
      case MI_INT32:
        for (let k = 0; k < count; k++) out[k] = view.getInt32(at + 4 * k, le);
        break;
      case MI_UINT32:
        for (let k = 0; k < count; k++) out[k] = view.getUint32(at + 4 * k, le);
        break;
      case MI_SINGLE:
        for (let k = 0; k < count; k++) out[k] = view.getFloat32(at + 4 * k, le);
        break;
      case MI_DOUBLE:
        for (let k = 0; k < count; k++) out[k] = view.getFloat64(at + 8 * k, le);
        break;
      case MI_INT64:
        for (let k = 0; k < count; k++) out[k] = Number(view.getBigInt64(at + 8 * k, le));
        break;
      case MI_UINT64:
        for (let k = 0; k < count; k++) out[k] = Number(view.getBigUint64(at + 8 * k, le));
        break;
    }
    return out;
  }
}

function latin1(view: DataView, start: number, length: number): string {
  return Buffer.from(view.buffer, view.byteOffset + start, length).toString('latin1');
}

/** Inflates the start of a zlib stream without requiring its end, to read a variable's name. */
function inflatePrefix(compressed: Buffer, offset: number): Buffer {
  try {
    return zlib.inflateSync(compressed, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  } catch (error) {
    throw new MatFormatError(`cannot inflate the compressed variable (${(error as Error).message})`, offset);
  }
}
