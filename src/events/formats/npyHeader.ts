/**
 * Parser of the `.npy` header: the magic `\x93NUMPY`, a version, the header length and a Python
 * dict literal with `descr`, `fortran_order` and `shape`.
 *
 * Written by hand because the header is a short Python literal and the records after it are
 * streamed by the NumPy decoder instead of being loaded as one array.
 */
import { EventFileError } from '../errors';
import type { FileSource } from '../fileSource';

export interface NpyField {
  name: string;
  /** Byte offset inside one record. */
  offset: number;
  kind: 'i' | 'u' | 'f' | 'b' | 'V';
  bytes: number;
  littleEndian: boolean;
}

export interface NpyHeader {
  version: string;
  dataOffset: number;
  /** Fields of a structured dtype; for a plain dtype one field named '' that fills the record. */
  fields: NpyField[];
  isStructured: boolean;
  recordBytes: number;
  fortranOrder: boolean;
  shape: number[];
  descr: string;
}

type PyValue = string | number | boolean | null | PyValue[];

/** A tiny reader of the Python literals that numpy writes in `.npy` headers. */
class PyLiteralParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parseDict(): Map<string, PyValue> {
    this.expect('{');
    const dict = new Map<string, PyValue>();
    for (;;) {
      this.skipSpace();
      if (this.peek() === '}') {
        this.pos++;
        return dict;
      }
      const key = this.parseValue();
      if (typeof key !== 'string') throw new Error('dict key is not a string');
      this.expect(':');
      dict.set(key, this.parseValue());
      this.skipSpace();
      if (this.peek() === ',') this.pos++;
    }
  }

  private parseValue(): PyValue {
    this.skipSpace();
    const c = this.peek();
    if (c === "'" || c === '"') return this.parseString(c);
    if (c === '(' || c === '[') return this.parseSequence(c === '(' ? ')' : ']');
    const word = /^[A-Za-z_][A-Za-z0-9_]*|^-?\d+L?/.exec(this.text.slice(this.pos));
    if (!word) throw new Error(`unexpected character ${JSON.stringify(c)} at ${this.pos}`);
    this.pos += word[0].length;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    if (word[0] === 'None') return null;
    const number = Number.parseInt(word[0], 10);
    if (Number.isNaN(number)) throw new Error(`unexpected word ${word[0]}`);
    return number;
  }

  private parseString(quote: string): string {
    this.pos++;
    const end = this.text.indexOf(quote, this.pos);
    if (end < 0) throw new Error('unterminated string');
    const value = this.text.slice(this.pos, end);
    this.pos = end + 1;
    return value;
  }

  private parseSequence(close: string): PyValue[] {
    this.pos++;
    const items: PyValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.peek() === close) {
        this.pos++;
        return items;
      }
      items.push(this.parseValue());
      this.skipSpace();
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== close) throw new Error(`expected , or ${close} at ${this.pos}`);
    }
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private peek(): string {
    if (this.pos >= this.text.length) throw new Error('unexpected end of header');
    return this.text[this.pos];
  }

  private expect(c: string): void {
    this.skipSpace();
    if (this.peek() !== c) throw new Error(`expected ${c} at ${this.pos}`);
    this.pos++;
  }
}

/** Parses a numpy type string such as `<i8`, `|u1` or `|V4`. */
function parseTypeString(type: string): Omit<NpyField, 'name' | 'offset'> | null {
  const match = /^([<>|=]?)([iufbV])(\d+)$/.exec(type);
  if (!match) return null;
  const kind = match[2] as NpyField['kind'];
  const bytes = Number(match[3]);
  const validSizes: Record<string, number[]> = { i: [1, 2, 4, 8], u: [1, 2, 4, 8], f: [4, 8], b: [1] };
  if (kind !== 'V' && !validSizes[kind].includes(bytes)) return null;
  return { kind, bytes, littleEndian: match[1] !== '>' };
}

export function readNpyHeader(source: FileSource): NpyHeader {
  const fail = (offset: number, detail: string): never => {
    throw new EventFileError(source.path, offset, detail);
  };
  const prefix = source.readAt(0, 12);
  if (prefix.length < 10 || prefix[0] !== 0x93 || prefix.toString('latin1', 1, 6) !== 'NUMPY') {
    fail(0, 'expected the NumPy magic bytes \\x93NUMPY; check the file or pass the right format');
  }
  const major = prefix[6];
  const minor = prefix[7];
  let headerLength: number;
  let dictOffset: number;
  if (major === 1) {
    headerLength = prefix.readUInt16LE(8);
    dictOffset = 10;
  } else if (major === 2 || major === 3) {
    if (prefix.length < 12) fail(prefix.length, 'the file ends inside the NumPy header');
    headerLength = prefix.readUInt32LE(8);
    dictOffset = 12;
  } else {
    return fail(6, `NumPy format version ${major}.${minor} is not supported (1.x to 3.x are)`);
  }
  const dictBytes = source.readAt(dictOffset, headerLength);
  if (dictBytes.length < headerLength) {
    fail(dictOffset + dictBytes.length, 'the file ends inside the NumPy header dict');
  }
  const text = dictBytes.toString(major === 3 ? 'utf8' : 'latin1');

  let dict: Map<string, PyValue>;
  try {
    dict = new PyLiteralParser(text).parseDict();
  } catch (error) {
    return fail(dictOffset, `the NumPy header dict is not valid (${(error as Error).message}): ${JSON.stringify(text.slice(0, 200))}`);
  }

  const descr = dict.get('descr');
  const fortranOrder = dict.get('fortran_order');
  const shape = dict.get('shape');
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && d >= 0)) {
    fail(dictOffset, `the NumPy header has no valid shape: ${JSON.stringify(shape)}`);
  }
  const fields: NpyField[] = [];
  let recordBytes = 0;
  let isStructured = false;
  if (typeof descr === 'string') {
    const type = parseTypeString(descr);
    if (type === null || type.kind === 'V') fail(dictOffset, `NumPy dtype ${JSON.stringify(descr)} is not supported`);
    fields.push({ name: '', offset: 0, ...(type as Omit<NpyField, 'name' | 'offset'>) });
    recordBytes = (type as NpyField).bytes;
  } else if (Array.isArray(descr)) {
    isStructured = true;
    for (const entry of descr) {
      if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string' || typeof entry[1] !== 'string') {
        return fail(dictOffset, `NumPy structured field ${JSON.stringify(entry)} is not supported (nested or sub-array fields)`);
      }
      const type = parseTypeString(entry[1]);
      if (type === null) return fail(dictOffset, `NumPy field type ${JSON.stringify(entry[1])} is not supported`);
      fields.push({ name: entry[0], offset: recordBytes, ...type });
      recordBytes += type.bytes;
    }
  } else {
    fail(dictOffset, `the NumPy header has no valid descr: ${JSON.stringify(descr)}`);
  }
  if (recordBytes === 0) fail(dictOffset, 'the NumPy dtype has zero size');

  return {
    version: `${major}.${minor}`,
    dataOffset: dictOffset + headerLength,
    fields,
    isStructured,
    recordBytes,
    fortranOrder: fortranOrder === true,
    shape: shape as number[],
    descr: typeof descr === 'string' ? descr : JSON.stringify(descr),
  };
}
