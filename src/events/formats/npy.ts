/**
 * NumPy `.npy` event arrays. A structured array has fields for time (t/ts/timestamp), x, y and
 * polarity (p/pol/polarity/on), as tonic writes them. A plain 2-D array has one column per
 * field, in the order of `options.columns` (default t, x, y, p).
 * Records are streamed in blocks. The time field is in microseconds unless `npyTimeUnit` sets
 * another unit.
 */
import { DEFAULT_BLOCK_BYTES, decodeBlocks, type BlockDecoder } from '../blockDecoder';
import { EventFileError } from '../errors';
import type { EventSink } from '../eventSink';
import type { TimeUnit } from '../types';
import type { FormatOpener } from './format';
import { readNpyHeader, type NpyField } from './npyHeader';
import { polarityFromNumber } from './values';

const MICROSECONDS_PER_UNIT: Record<TimeUnit, number> = { s: 1e6, ms: 1e3, us: 1, ns: 1e-3 };
const FIELD_NAMES: Record<'t' | 'x' | 'y' | 'p', string[]> = {
  t: ['t', 'ts', 'timestamp', 'timestamps', 'time'],
  x: ['x'],
  y: ['y'],
  p: ['p', 'pol', 'polarity', 'on', 'is_increase'],
};
/** Largest magnitude of the high 32 bits of an int64 that keeps the value within 2^53. */
const MAX_SAFE_HIGH_WORD = 2 ** 21;

type ValueReader = (view: DataView, offset: number) => number;

/** Returns a reader of one field value as a number; 64-bit integers beyond 2^53 read as NaN. */
function valueReader(field: NpyField): ValueReader {
  const le = field.littleEndian;
  switch (`${field.kind}${field.bytes}`) {
    case 'i1':
      return (v, o) => v.getInt8(o);
    case 'u1':
    case 'b1':
      return (v, o) => v.getUint8(o);
    case 'i2':
      return (v, o) => v.getInt16(o, le);
    case 'u2':
      return (v, o) => v.getUint16(o, le);
    case 'i4':
      return (v, o) => v.getInt32(o, le);
    case 'u4':
      return (v, o) => v.getUint32(o, le);
    case 'i8':
      return (v, o) => {
        const high = v.getInt32(o + (le ? 4 : 0), le);
        const low = v.getUint32(o + (le ? 0 : 4), le);
        return Math.abs(high) >= MAX_SAFE_HIGH_WORD ? NaN : high * 2 ** 32 + low;
      };
    case 'u8':
      return (v, o) => {
        const high = v.getUint32(o + (le ? 4 : 0), le);
        const low = v.getUint32(o + (le ? 0 : 4), le);
        return high >= MAX_SAFE_HIGH_WORD ? NaN : high * 2 ** 32 + low;
      };
    case 'f4':
      return (v, o) => v.getFloat32(o, le);
    case 'f8':
      return (v, o) => v.getFloat64(o, le);
    default:
      throw new Error(`no reader for NumPy field type ${field.kind}${field.bytes}`);
  }
}

interface FieldLayout {
  offsets: Record<'t' | 'x' | 'y' | 'p', number>;
  readers: Record<'t' | 'x' | 'y' | 'p', ValueReader>;
}

class NpyDecoder implements BlockDecoder {
  private readonly readT: ValueReader;
  private readonly readX: ValueReader;
  private readonly readY: ValueReader;
  private readonly readP: ValueReader;
  private readonly dataEnd: number;

  constructor(
    private readonly layout: FieldLayout,
    private readonly recordBytes: number,
    private readonly unitUs: number,
    private readonly dataOffset: number,
    private readonly recordCount: number,
  ) {
    this.dataEnd = dataOffset + recordCount * recordBytes;
    this.readT = layout.readers.t;
    this.readX = layout.readers.x;
    this.readY = layout.readers.y;
    this.readP = layout.readers.p;
  }

  decode(b: Uint8Array, start: number, end: number, baseOffset: number, sink: EventSink): number {
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const { t: tOffset, x: xOffset, y: yOffset, p: pOffset } = this.layout.offsets;
    const size = this.recordBytes;
    const unitUs = this.unitUs;
    const limit = sink.limit;
    let n = sink.n;
    let lastT = sink.lastT;
    let i = start;

    for (; i + size <= end && n < limit; i += size) {
      const rawT = this.readT(view, i + tOffset);
      const t = unitUs === 1 ? rawT : Math.round(rawT * unitUs);
      const x = this.readX(view, i + xOffset);
      const y = this.readY(view, i + yOffset);
      const rawP = this.readP(view, i + pOffset);
      const p = polarityFromNumber(rawP);
      if (!Number.isInteger(t) || t < 0 || !Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || p < 0) {
        const record = (baseOffset + i - this.dataOffset) / size;
        sink.rejectInvalid(
          baseOffset + i,
          () =>
            `record ${record} is not a valid event (t=${rawT}, x=${x}, y=${y}, p=${rawP}). ` +
            'Expected integer t >= 0, x, y >= 0 and p of 0, 1 or -1',
        );
        continue;
      }
      if (x >= sink.width || y >= sink.height) {
        sink.rejectOutOfRange(baseOffset + i, x, y);
        continue;
      }
      if (t < lastT) {
        sink.lastT = lastT;
        if (!sink.acceptBackwards(baseOffset + i, t)) continue;
      } else {
        lastT = t;
      }
      sink.t[n] = t;
      sink.x[n] = x;
      sink.y[n] = y;
      sink.p[n] = p;
      n++;
    }

    sink.n = n;
    sink.lastT = lastT;
    return i;
  }

  finish(_b: Uint8Array, start: number, end: number, baseOffset: number, sink: EventSink): void {
    const reached = baseOffset + start;
    if (end > start || reached < this.dataEnd) {
      const recordsPresent = this.recordCount - Math.ceil((this.dataEnd - reached) / this.recordBytes);
      sink.truncated(
        reached,
        `the file ends after ${recordsPresent} of the ${this.recordCount} records that the NumPy header announces`,
      );
    }
  }
}

function findField(fields: NpyField[], names: string[]): NpyField | undefined {
  return fields.find((field) => names.includes(field.name.toLowerCase()));
}

export const openNpy: FormatOpener = (source, options) => {
  const npy = readNpyHeader(source);
  const fail = (detail: string): never => {
    throw new EventFileError(source.path, 10, detail);
  };

  let layout: FieldLayout;
  let recordCount: number;
  let recordBytes = npy.recordBytes;
  if (npy.isStructured) {
    const found = {
      t: findField(npy.fields, FIELD_NAMES.t),
      x: findField(npy.fields, FIELD_NAMES.x),
      y: findField(npy.fields, FIELD_NAMES.y),
      p: findField(npy.fields, FIELD_NAMES.p),
    };
    for (const [key, field] of Object.entries(found)) {
      if (field === undefined || field.kind === 'V') {
        fail(`the NumPy dtype ${npy.descr} has no usable field for ${key}; expected one of ${FIELD_NAMES[key as 't'].join(', ')}`);
      }
    }
    const fields = found as Record<'t' | 'x' | 'y' | 'p', NpyField>;
    layout = {
      offsets: { t: fields.t.offset, x: fields.x.offset, y: fields.y.offset, p: fields.p.offset },
      readers: { t: valueReader(fields.t), x: valueReader(fields.x), y: valueReader(fields.y), p: valueReader(fields.p) },
    };
    recordCount = npy.shape.reduce((product, d) => product * d, 1);
  } else {
    const columns = options.columns ?? ['t', 'x', 'y', 'p'];
    if (npy.shape.length !== 2 || npy.shape[1] < 4) {
      fail(`a plain NumPy array must have shape (N, 4) or wider with one column per field; this one has shape (${npy.shape.join(', ')})`);
    }
    // NOTE: column-major (Fortran-order) 2-D arrays would need one read position per column; they are rejected.
    if (npy.fortranOrder) fail('Fortran-order 2-D arrays are not supported; save the array with np.ascontiguousarray');
    const field = npy.fields[0];
    const reader = valueReader(field);
    const offsetOf = (column: 't' | 'x' | 'y' | 'p'): number => {
      const index = columns.indexOf(column);
      if (index < 0) throw new RangeError(`columns must name t, x, y and p; got ${JSON.stringify(columns)}`);
      return index * field.bytes;
    };
    layout = {
      offsets: { t: offsetOf('t'), x: offsetOf('x'), y: offsetOf('y'), p: offsetOf('p') },
      readers: { t: reader, x: reader, y: reader, p: reader },
    };
    recordBytes = field.bytes * npy.shape[1];
    recordCount = npy.shape[0];
  }

  const dataEnd = npy.dataOffset + recordCount * recordBytes;
  const unitUs = MICROSECONDS_PER_UNIT[options.npyTimeUnit ?? 'us'];
  return {
    headerBytes: npy.dataOffset,
    sensorSize: null,
    header: {
      version: npy.version,
      descr: npy.descr,
      shape: `(${npy.shape.join(', ')})`,
      fortranOrder: String(npy.fortranOrder),
    },
    body: (sink) =>
      decodeBlocks(
        source,
        npy.dataOffset,
        Math.min(dataEnd, source.size),
        new NpyDecoder(layout, recordBytes, unitUs, npy.dataOffset, recordCount),
        sink,
        options.blockBytes ?? DEFAULT_BLOCK_BYTES,
        recordBytes,
      ),
  };
};
