/**
 * Shared types of the event-file readers.
 *
 * Timestamps are integer microseconds stored in a Float64Array, which represents every integer up to
 * 2^53 exactly (about 285 years of microseconds), so absolute AEDAT 4.0 times and unwrapped
 * 24-bit or 32-bit sensor clocks stay exact. Polarity is 1 for ON (brightness increase) and
 * 0 for OFF (brightness decrease). Coordinates are 0-based pixel indices.
 */

/** Container formats that the readers decode. */
export type EventFormat =
  | 'nmnist'
  | 'aedat2'
  | 'aedat4'
  | 'dat'
  | 'evt2'
  | 'evt3'
  | 'es'
  | 'text'
  | 'npy'
  | 'mat';

export const EVENT_FORMATS: readonly EventFormat[] = [
  'nmnist',
  'aedat2',
  'aedat4',
  'dat',
  'evt2',
  'evt3',
  'es',
  'text',
  'npy',
  'mat',
];

/** Human-readable name of each format, for reports. */
export const FORMAT_NAMES: Record<EventFormat, string> = {
  nmnist: 'N-MNIST / N-Caltech101 binary (5 bytes per event)',
  aedat2: 'AEDAT 2.0 (jAER)',
  aedat4: 'AEDAT 4.0',
  dat: 'Prophesee DAT',
  evt2: 'Prophesee RAW EVT 2.0',
  evt3: 'Prophesee RAW EVT 3.0',
  es: 'Event Stream 2.x',
  text: 'Event text or CSV (t x y p)',
  npy: 'NumPy .npy',
  mat: 'MATLAB v5 .mat',
};

/** A batch of decoded events in column form; every array has `length` elements. */
export interface EventChunk {
  /** Event times in microseconds (integers stored as float64, exact up to 2^53). */
  timestampUs: Float64Array;
  x: Uint16Array;
  y: Uint16Array;
  /** 1 = ON, 0 = OFF. */
  polarity: Uint8Array;
  length: number;
}

/** All events of a recording in column form (same layout as a chunk). */
export type EventArrays = EventChunk;

/** Origin of a sensor size: the file header, a known chip name, or the caller's option. */
export type SensorSizeSource = 'header' | 'chip' | 'option';

export interface SensorSize {
  width: number;
  height: number;
  source: SensorSizeSource;
}

/** Description of a file as its header states it, known once the header has been parsed. */
export interface EventFileInfo {
  path: string;
  format: EventFormat;
  formatName: string;
  fileBytes: number;
  /** Byte offset of the first event record, i.e. the header length. */
  headerBytes: number;
  /** Sensor size stated by the header, implied by the chip name or passed as an option; null when unknown. */
  sensorSize: SensorSize | null;
  /** Chip, plugin or camera name from the header, when the file names one. */
  chip?: string;
  /** Header fields as key/value strings, in the file's own spelling. */
  header: Record<string, string>;
}

/** Counters collected while events are read. */
export interface ReadStats {
  eventCount: number;
  onCount: number;
  offCount: number;
  /** Time of the first and last event in file order; NaN while no event was read. */
  firstTimestampUs: number;
  lastTimestampUs: number;
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
  /** Words, records or events that were read but not output, by kind (for example `apsWords`). */
  skipped: Record<string, number>;
  /** Informational tallies, such as the number of words of each EVT 3.0 type. */
  counts: Record<string, number>;
  /** Set when `onTruncated: 'stop'` ended the read at an incomplete record. */
  truncated?: { byteOffset: number; message: string };
}

/** Handling of an event whose coordinates lie outside the sensor or whose fields are invalid. */
export type InvalidEventPolicy = 'error' | 'skip';
/** Handling of an event whose timestamp is earlier than the latest one already read. */
export type TimeBackwardsPolicy = 'error' | 'skip' | 'keep';
/** Handling of a file that ends inside a header, record or packet. */
export type TruncationPolicy = 'error' | 'stop';
/** Address layout of AEDAT 2.0 records. */
export type Aedat2Layout = 'dvs128' | 'davis';
/** Unit of the timestamp column of text, CSV and NumPy files. */
export type TimeUnit = 's' | 'ms' | 'us' | 'ns';

export interface ReadOptions {
  /** Format to decode as; overrides detection from the content. */
  format?: EventFormat;
  /** Events per chunk (default 65536). */
  chunkSize?: number;
  /** Bytes read from the file at a time (default 1 MiB). */
  blockBytes?: number;
  /** Sensor size to check coordinates against; overrides the header. */
  sensorSize?: { width: number; height: number };
  /** Default 'error'. */
  onInvalidEvent?: InvalidEventPolicy;
  /** Default 'error'. */
  onTimeBackwards?: TimeBackwardsPolicy;
  /** Default 'error'. */
  onTruncated?: TruncationPolicy;
  /** AEDAT 2.0 address layout; by default chosen from the `AEChip` header line. */
  aedat2Layout?: Aedat2Layout;
  /** Timestamp unit of text and CSV files; by default seconds when the first timestamp has a decimal point or exponent, else microseconds. */
  textTimeUnit?: TimeUnit;
  /** Timestamp unit of NumPy files (default microseconds). */
  npyTimeUnit?: TimeUnit;
  /** Column order of text files without a header line and of plain 2-D NumPy arrays (default t, x, y, p). */
  columns?: Array<'t' | 'x' | 'y' | 'p'>;
  /** MATLAB variable that contains the events (default `TD`, else the first struct with x, y, ts and p fields). */
  matVariable?: string;
  /** AEDAT 4.0 stream id to read (default the first `EVTS` stream). */
  aedat4StreamId?: number;
  /** Largest decompressed size accepted for one AEDAT 4.0 packet or MATLAB element (default 1 GiB). */
  maxDecompressedBytes?: number;
}
