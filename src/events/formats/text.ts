/**
 * Event text files: one event per line with the fields t, x, y and p separated by spaces, tabs,
 * commas or semicolons, as in the Event Camera Dataset (`t x y p`, t in seconds) and CSV exports.
 *
 * A first line with letters is a header that names the columns (t/ts/time/timestamp, x, y,
 * p/pol/polarity/on) and may give the time unit as a suffix such as `t_us`. Lines starting with
 * `#` or `%` and blank lines are ignored. Times are rounded to the nearest microsecond.
 */
import { DEFAULT_BLOCK_BYTES, decodeBlocks, type BlockDecoder } from '../blockDecoder';
import type { EventSink } from '../eventSink';
import type { TimeUnit } from '../types';
import type { FormatOpener } from './format';

const MICROSECONDS_PER_UNIT: Record<TimeUnit, number> = { s: 1e6, ms: 1e3, us: 1, ns: 1e-3 };
const MAX_TOKENS = 16;
const NEWLINE = 0x0a;
/** The shortest event line, `0 0 0 0` without a newline. */
const MIN_LINE_BYTES = 7;

type Column = 't' | 'x' | 'y' | 'p';

const COLUMN_NAMES: Record<string, Column> = {
  t: 't',
  ts: 't',
  time: 't',
  timestamp: 't',
  timestamps: 't',
  x: 'x',
  y: 'y',
  p: 'p',
  pol: 'p',
  polarity: 'p',
  on: 'p',
  is_increase: 'p',
};

interface HeaderColumns {
  indices: Record<Column, number>;
  unit: TimeUnit | null;
}

/** Maps header names to column indices; returns null when t, x, y or p is missing. */
function parseHeaderNames(names: string[]): HeaderColumns | null {
  const indices: Partial<Record<Column, number>> = {};
  let unit: TimeUnit | null = null;
  names.forEach((raw, index) => {
    let name = raw.trim().toLowerCase().replace(/^"|"$/g, '');
    const unitMatch = /[_\s([](us|µs|ms|ns|s)[)\]]?$/.exec(name);
    if (unitMatch) name = name.slice(0, unitMatch.index);
    const column = COLUMN_NAMES[name];
    if (column === undefined || indices[column] !== undefined) return;
    indices[column] = index;
    if (column === 't' && unitMatch) unit = (unitMatch[1] === 'µs' ? 'us' : unitMatch[1]) as TimeUnit;
  });
  if (indices.t === undefined || indices.x === undefined || indices.y === undefined || indices.p === undefined) {
    return null;
  }
  return { indices: indices as Record<Column, number>, unit };
}

class TextDecoder implements BlockDecoder {
  private lineNumber = 0;
  private sawData = false;
  private indices: Record<Column, number>;
  private unitUs: number | null;
  private readonly tokenStart = new Int32Array(MAX_TOKENS);
  private readonly tokenEnd = new Int32Array(MAX_TOKENS);

  constructor(columns: Column[], unit: TimeUnit | undefined) {
    this.indices = { t: columns.indexOf('t'), x: columns.indexOf('x'), y: columns.indexOf('y'), p: columns.indexOf('p') };
    this.unitUs = unit ? MICROSECONDS_PER_UNIT[unit] : null;
  }

  decode(b: Uint8Array, start: number, end: number, baseOffset: number, sink: EventSink): number {
    let i = start;
    while (i < end && !sink.full) {
      const newline = b.indexOf(NEWLINE, i);
      if (newline < 0 || newline >= end) break;
      this.parseLine(b, i, newline, baseOffset + i, sink);
      i = newline + 1;
    }
    return i;
  }

  finish(b: Uint8Array, start: number, end: number, baseOffset: number, sink: EventSink): void {
    if (end > start) this.parseLine(b, start, end, baseOffset + start, sink, true);
  }

  private parseLine(b: Uint8Array, start: number, end: number, byteOffset: number, sink: EventSink, isLast = false): void {
    this.lineNumber++;
    const count = this.tokenize(b, start, end);
    if (count === 0) return;
    const firstByte = b[this.tokenStart[0]];
    if (firstByte === 0x23 || firstByte === 0x25) return;

    if (!this.sawData && hasLetter(b, start, end)) {
      const names: string[] = [];
      for (let k = 0; k < count; k++) names.push(latin1(b, this.tokenStart[k], this.tokenEnd[k]));
      const header = parseHeaderNames(names);
      if (header === null) {
        const line = this.lineNumber;
        sink.rejectInvalid(
          byteOffset,
          () => `line ${line} is neither an event nor a header naming t, x, y and p columns: ${JSON.stringify(names.join(' '))}`,
        );
        return;
      }
      this.indices = header.indices;
      if (this.unitUs === null && header.unit !== null) this.unitUs = MICROSECONDS_PER_UNIT[header.unit];
      return;
    }
    this.sawData = true;

    const { t: ti, x: xi, y: yi, p: pi } = this.indices;
    const needed = Math.max(ti, xi, yi, pi) + 1;
    if (count < needed) {
      const line = this.lineNumber;
      const describe = (): string => `line ${line} has ${count} fields, expected at least ${needed} (t, x, y, p)`;
      if (isLast) sink.truncated(byteOffset, `the file ends inside a line: ${describe()}`);
      else sink.rejectInvalid(byteOffset, describe);
      return;
    }

    if (this.unitUs === null) {
      this.unitUs = hasFraction(b, this.tokenStart[ti], this.tokenEnd[ti]) ? MICROSECONDS_PER_UNIT.s : 1;
    }
    const t = parseTimeUs(b, this.tokenStart[ti], this.tokenEnd[ti], this.unitUs);
    const x = parseUnsigned(b, this.tokenStart[xi], this.tokenEnd[xi]);
    const y = parseUnsigned(b, this.tokenStart[yi], this.tokenEnd[yi]);
    const p = parsePolarity(b, this.tokenStart[pi], this.tokenEnd[pi]);
    if (Number.isNaN(t) || t < 0 || x < 0 || y < 0 || p < 0) {
      const line = this.lineNumber;
      sink.rejectInvalid(
        byteOffset,
        () =>
          `line ${line} is not a valid event (t >= 0, integer x and y, polarity 0/1/-1): ` +
          JSON.stringify(latin1(b, start, end).trim()),
      );
      return;
    }
    if (x >= sink.width || y >= sink.height) {
      sink.rejectOutOfRange(byteOffset, x, y);
      return;
    }
    if (t < sink.lastT) {
      if (!sink.acceptBackwards(byteOffset, t)) return;
    } else {
      sink.lastT = t;
    }
    const n = sink.n;
    sink.t[n] = t;
    sink.x[n] = x;
    sink.y[n] = y;
    sink.p[n] = p;
    sink.n = n + 1;
  }

  /** Splits a line at spaces, tabs, commas, semicolons and carriage returns; returns the token count. */
  private tokenize(b: Uint8Array, start: number, end: number): number {
    let count = 0;
    let i = start;
    while (i < end && count < MAX_TOKENS) {
      while (i < end && isSeparator(b[i])) i++;
      if (i >= end) break;
      const tokenStart = i;
      while (i < end && !isSeparator(b[i])) i++;
      this.tokenStart[count] = tokenStart;
      this.tokenEnd[count] = i;
      count++;
    }
    return count;
  }
}

function isSeparator(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x2c || byte === 0x3b || byte === 0x0d;
}

function hasLetter(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const lower = b[i] | 0x20;
    // 'e' alone can be an exponent, so only letters other than e count.
    if (lower >= 0x61 && lower <= 0x7a && lower !== 0x65) return true;
  }
  return false;
}

function hasFraction(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    if (b[i] === 0x2e || (b[i] | 0x20) === 0x65) return true;
  }
  return false;
}

function latin1(b: Uint8Array, start: number, end: number): string {
  return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('latin1');
}

/**
 * Parses a decimal number of `unitUs` microseconds and rounds it to whole microseconds.
 * Plain decimals are split into integer and fraction digits so that, for example, nine-decimal
 * seconds convert without binary rounding error; exponent forms go through Number().
 */
function parseTimeUs(b: Uint8Array, start: number, end: number, unitUs: number): number {
  let i = start;
  if (b[i] === 0x2b) i++;
  let integer = 0;
  let digits = 0;
  while (i < end && b[i] >= 0x30 && b[i] <= 0x39) {
    integer = integer * 10 + (b[i] - 0x30);
    i++;
    digits++;
  }
  let fraction = 0;
  let scale = 1;
  if (i < end && b[i] === 0x2e) {
    i++;
    while (i < end && b[i] >= 0x30 && b[i] <= 0x39) {
      if (scale < 1e15) {
        fraction = fraction * 10 + (b[i] - 0x30);
        scale *= 10;
      }
      i++;
      digits++;
    }
  }
  if (i < end) {
    const value = Number(latin1(b, start, end));
    return Number.isFinite(value) ? Math.round(value * unitUs) : NaN;
  }
  if (digits === 0) return NaN;
  return Math.round(integer * unitUs + (fraction * unitUs) / scale);
}

/** Parses an unsigned decimal integer below 65536; returns -1 for anything else. */
function parseUnsigned(b: Uint8Array, start: number, end: number): number {
  if (end <= start || end - start > 5) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = b[i] - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value > 0xffff ? -1 : value;
}

/** Parses 1, +1, true as ON (1) and 0, -1, false as OFF (0); returns -1 for anything else. */
function parsePolarity(b: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length === 1) {
    if (b[start] === 0x31) return 1;
    if (b[start] === 0x30) return 0;
    return -1;
  }
  if (length === 2 && b[start + 1] === 0x31) {
    if (b[start] === 0x2b) return 1;
    if (b[start] === 0x2d) return 0;
    return -1;
  }
  const token = latin1(b, start, end).toLowerCase();
  if (token === '1' || token === '+1' || token === 'true') return 1;
  if (token === '0' || token === '-1' || token === 'false') return 0;
  return -1;
}

export const openText: FormatOpener = (source, options) => {
  const columns = options.columns ?? ['t', 'x', 'y', 'p'];
  for (const column of ['t', 'x', 'y', 'p'] as const) {
    if (!columns.includes(column)) {
      throw new RangeError(`columns must name t, x, y and p; got ${JSON.stringify(columns)}`);
    }
  }
  const header: Record<string, string> = { columns: columns.join(' ') };
  if (options.textTimeUnit) header['timeUnit'] = options.textTimeUnit;
  return {
    headerBytes: 0,
    sensorSize: null,
    header,
    body: (sink) =>
      decodeBlocks(
        source,
        0,
        source.size,
        new TextDecoder(columns, options.textTimeUnit),
        sink,
        options.blockBytes ?? DEFAULT_BLOCK_BYTES,
        MIN_LINE_BYTES,
      ),
  };
};
