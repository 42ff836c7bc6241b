import * as fs from 'node:fs';
import * as path from 'node:path';
import * as protobuf from 'protobufjs';
import { PROJECT_ROOT } from '../spec/load-json';
import { CaptureError } from './errors';
import { TRACE_FORMAT_VERSION, type TraceFile, type TraceHeader, type TraceSample } from './trace-types';

/**
 * Reads and writes trace files. The schema is proto/trace.proto, loaded by protobufjs at run
 * time: the .proto stays the one definition that this code, docs/traces.md and Python share,
 * and no generated code can drift from it.
 */

export const TRACE_PROTO_FILE = path.join(PROJECT_ROOT, 'proto', 'trace.proto');
/** File name ending of trace files. */
export const TRACE_FILE_EXTENSION = '.trace.pb';

interface TraceTypes {
  header: protobuf.Type;
  sample: protobuf.Type;
}

let traceTypes: TraceTypes | null = null;

function loadTraceTypes(): TraceTypes {
  if (!traceTypes) {
    const root = protobuf.loadSync(TRACE_PROTO_FILE);
    root.resolveAll();
    traceTypes = {
      header: root.lookupType('stemsim.trace.TraceHeader'),
      sample: root.lookupType('stemsim.trace.Sample'),
    };
  }
  return traceTypes;
}

function isDefault(field: protobuf.Field, value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (value instanceof Uint8Array) return value.length === 0;
  return value === 0 || value === '' || value === false;
}

/**
 * Removes fields that hold their proto3 default (0, '', false, empty bytes or lists) from a
 * message, as the reference protobuf encoders leave them out, so that encoding a decoded trace
 * gives back the same bytes. proto3 `optional` fields are kept whenever they are set.
 */
function dropDefaults(type: protobuf.Type, message: Record<string, unknown>): void {
  for (const field of type.fieldsArray) {
    const value = message[field.name];
    if (field.repeated) {
      if (Array.isArray(value) && value.length === 0) delete message[field.name];
    } else if (field.resolvedType instanceof protobuf.Type) {
      if (value === null || value === undefined) delete message[field.name];
      else dropDefaults(field.resolvedType, value as Record<string, unknown>);
    } else if (field.partOf) {
      if (value === null || value === undefined) delete message[field.name];
    } else if (isDefault(field, value)) {
      delete message[field.name];
    }
  }
}

function encodeDelimited(type: protobuf.Type, object: object): Uint8Array {
  const message = type.fromObject(object as Record<string, unknown>);
  dropDefaults(type, message as unknown as Record<string, unknown>);
  return type.encodeDelimited(message).finish();
}

const DECODE_OPTIONS: protobuf.IConversionOptions = { defaults: true, arrays: true, longs: Number };

/** Converts protobufjs Buffers to plain Uint8Arrays, so that results compare equal however they were made. */
function plainBytes(value: unknown): unknown {
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (Array.isArray(value)) return value.map(plainBytes);
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) result[key] = plainBytes(entry);
    return result;
  }
  return value;
}

function decodeObject<T>(type: protobuf.Type, message: protobuf.Message): T {
  return plainBytes(type.toObject(message, DECODE_OPTIONS)) as T;
}

export function encodeHeader(header: TraceHeader): Uint8Array {
  return encodeDelimited(loadTraceTypes().header, header);
}

export function encodeSample(sample: TraceSample): Uint8Array {
  return encodeDelimited(loadTraceTypes().sample, sample);
}

/** Encodes a whole trace: the length-delimited header followed by each length-delimited sample. */
export function encodeTrace(trace: TraceFile): Uint8Array {
  const parts = [encodeHeader(trace.header), ...trace.samples.map(encodeSample)];
  return Buffer.concat(parts);
}

/** Decodes the bytes of a trace file; `source` names the file in errors. */
export function decodeTrace(bytes: Uint8Array, source = 'trace'): TraceFile {
  const types = loadTraceTypes();
  const reader = protobuf.Reader.create(bytes);
  let header: TraceHeader;
  const samples: TraceSample[] = [];
  try {
    header = decodeObject<TraceHeader>(types.header, types.header.decodeDelimited(reader));
    if (header.formatVersion !== TRACE_FORMAT_VERSION) {
      throw new CaptureError(
        source,
        `trace format version ${header.formatVersion} is not supported (this stemsim reads version ${TRACE_FORMAT_VERSION}); recapture the trace`,
      );
    }
    while (reader.pos < reader.len) {
      samples.push(decodeObject<TraceSample>(types.sample, types.sample.decodeDelimited(reader)));
    }
  } catch (error) {
    if (error instanceof CaptureError) throw error;
    throw new CaptureError(
      source,
      `is not a valid trace file (byte offset ${reader.pos}): ${(error as Error).message}; traces are written by 'stemsim capture'`,
    );
  }
  return { header, samples };
}

/** Reads a whole trace file into memory. */
export function readTraceFile(file: string): TraceFile {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new CaptureError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return decodeTrace(bytes, file);
}

export function writeTraceFile(file: string, trace: TraceFile): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, encodeTrace(trace));
}

/** Writes a trace file sample by sample, so that memory does not grow with the number of samples. */
export class TraceWriter {
  private descriptor: number | null;
  samplesWritten = 0;

  constructor(
    readonly file: string,
    header: TraceHeader,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.descriptor = fs.openSync(file, 'w');
    fs.writeSync(this.descriptor, encodeHeader(header));
  }

  writeSample(sample: TraceSample): void {
    if (this.descriptor === null) throw new Error(`trace ${this.file} is already closed`);
    fs.writeSync(this.descriptor, encodeSample(sample));
    this.samplesWritten++;
  }

  close(): void {
    if (this.descriptor === null) return;
    fs.closeSync(this.descriptor);
    this.descriptor = null;
  }
}
