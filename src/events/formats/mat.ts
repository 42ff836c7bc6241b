/**
 * MATLAB v5 `.mat` event structs, such as the ATIS `TD` struct of Garrick Orchard's MATLAB AER
 * functions: fields x, y (1-based pixel coordinates), ts (microseconds) and p (polarity 0/1).
 * Coordinates are converted to 0-based; a coordinate of 0 in the file is an invalid event.
 *
 * NOTE: the selected variable is inflated and parsed as a whole, so memory grows with that
 * variable (MATLAB v5 files cannot be streamed per event, because the fields are stored one
 * after the other).
 */
import { EventFileError } from '../errors';
import type { EventSink } from '../eventSink';
import type { EventChunk } from '../types';
import type { FormatOpener } from './format';
import { Mat5Reader, MatFormatError, type MatArray, type MatVariableEntry } from './mat5';
import { polarityFromNumber } from './values';

const DEFAULT_VARIABLE = 'TD';
const DEFAULT_MAX_DECOMPRESSED_BYTES = 1 << 30;
const MX_STRUCT = 2;
const TIME_FIELDS = ['ts', 't', 'timestamp'];

interface EventColumns {
  t: Float64Array;
  x: Float64Array;
  y: Float64Array;
  p: Float64Array;
}

/** Returns the x, y, time and polarity columns of a 1x1 event struct, or a reason why it has none. */
function eventColumns(array: MatArray): EventColumns | string {
  if (array.classId !== MX_STRUCT || array.fields === undefined) return `variable ${array.name} is not a struct`;
  const column = (names: string[]): Float64Array | undefined => {
    for (const name of names) {
      const values = array.fields!.get(name);
      if (values !== undefined && values.length === 1 && values[0].data !== undefined) return values[0].data;
    }
    return undefined;
  };
  const t = column(TIME_FIELDS);
  const x = column(['x']);
  const y = column(['y']);
  const p = column(['p', 'pol', 'polarity']);
  if (!t || !x || !y || !p) {
    return `struct ${array.name} lacks numeric fields x, y, ts and p (it has ${[...array.fields.keys()].join(', ')})`;
  }
  if (x.length !== t.length || y.length !== t.length || p.length !== t.length) {
    return `struct ${array.name} has fields of different lengths (ts ${t.length}, x ${x.length}, y ${y.length}, p ${p.length})`;
  }
  return { t, x, y, p };
}

function* emitColumns(columns: EventColumns, byteOffset: number, sink: EventSink): Generator<EventChunk> {
  const { t: ts, x: xs, y: ys, p: ps } = columns;
  const total = ts.length;
  sink.setSizeHint(total);
  for (let k = 0; k < total; k++) {
    const t = ts[k];
    const x = xs[k] - 1;
    const y = ys[k] - 1;
    const raw = ps[k];
    const p = polarityFromNumber(raw);
    if (!Number.isInteger(t) || t < 0 || !Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || p < 0) {
      sink.rejectInvalid(
        byteOffset,
        () =>
          `event ${k} of the struct is invalid (ts=${t}, x=${xs[k]}, y=${ys[k]}, p=${raw}). ` +
          'Expected integer ts >= 0, 1-based x and y >= 1, and p of 0, 1 or -1',
      );
      continue;
    }
    if (x >= sink.width || y >= sink.height) {
      sink.rejectOutOfRange(byteOffset, x, y);
      continue;
    }
    if (t < sink.lastT) {
      if (!sink.acceptBackwards(byteOffset, t)) continue;
    } else {
      sink.lastT = t;
    }
    const n = sink.n;
    sink.t[n] = t;
    sink.x[n] = x;
    sink.y[n] = y;
    sink.p[n] = p;
    sink.n = n + 1;
    if (sink.full) yield sink.takeChunk();
  }
}

export const openMat: FormatOpener = (source, options) => {
  const readAt = (position: number, length: number): Buffer => source.readAt(position, length);
  let reader: Mat5Reader;
  let variables: MatVariableEntry[];
  try {
    const head = source.readAt(0, 128);
    if (!head.toString('latin1', 0, 10).startsWith('MATLAB 5.0')) {
      throw new MatFormatError('expected the header text "MATLAB 5.0 MAT-file"; check the file or pass the right format', 0);
    }
    reader = new Mat5Reader(head);
    variables = reader.listVariables(readAt, source.size);
  } catch (error) {
    if (!(error instanceof MatFormatError)) throw error;
    throw new EventFileError(source.path, error.byteOffset, error.message);
  }

  const requested = options.matVariable;
  const variableName = requested ?? DEFAULT_VARIABLE;
  let entry = variables.find((variable) => variable.name === variableName);
  if (entry === undefined && requested === undefined) entry = variables.find((variable) => variable.classId === MX_STRUCT);
  if (entry === undefined) {
    const names = variables.map((variable) => variable.name).join(', ') || '(none)';
    throw new EventFileError(
      source.path,
      128,
      `the MAT-file has no variable ${variableName}. Its variables are ${names}; pass matVariable (CLI: --mat-variable) to choose one`,
    );
  }
  const selected = entry;

  return {
    headerBytes: 128,
    sensorSize: null,
    header: {
      description: reader.description,
      endian: reader.littleEndian ? 'little' : 'big',
      variables: variables.map((variable) => variable.name).join(' '),
      variable: selected.name,
    },
    body: function* (sink) {
      let array: MatArray;
      try {
        array = reader.readVariable(selected, readAt, options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES);
      } catch (error) {
        if (!(error instanceof MatFormatError)) throw error;
        throw new EventFileError(source.path, error.byteOffset, error.message);
      }
      const columns = eventColumns(array);
      if (typeof columns === 'string') {
        throw new EventFileError(source.path, selected.offset, `${columns}; pass matVariable to choose the event struct`);
      }
      yield* emitColumns(columns, selected.offset, sink);
    },
  };
};
