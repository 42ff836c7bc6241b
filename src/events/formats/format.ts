import type { EventSink } from '../eventSink';
import type { FileSource } from '../fileSource';
import type { EventChunk, ReadOptions, SensorSize } from '../types';

/** Header facts that a format module reads before any event is decoded. */
export interface FormatHeader {
  headerBytes: number;
  sensorSize: SensorSize | null;
  chip?: string;
  header: Record<string, string>;
}

/**
 * A file whose header has been parsed. `body` yields every full chunk and leaves the last,
 * partial chunk in the sink.
 */
export interface OpenedFormat extends FormatHeader {
  body(sink: EventSink): Generator<EventChunk>;
}

export type FormatOpener = (source: FileSource, options: ReadOptions) => OpenedFormat;
