import { detectFormat } from './detect';
import { EventSink } from './eventSink';
import { FileSource } from './fileSource';
import { openAedat2 } from './formats/aedat2';
import { openAedat4 } from './formats/aedat4';
import { openDat } from './formats/dat';
import { openEventStream } from './formats/eventStream';
import { openEvt2 } from './formats/evt2';
import { openEvt3 } from './formats/evt3';
import type { FormatOpener } from './formats/format';
import { openMat } from './formats/mat';
import { openNmnist } from './formats/nmnist';
import { openNpy } from './formats/npy';
import { openText } from './formats/text';
import {
  EVENT_FORMATS,
  FORMAT_NAMES,
  type EventArrays,
  type EventChunk,
  type EventFileInfo,
  type EventFormat,
  type ReadOptions,
  type ReadStats,
  type SensorSize,
} from './types';

const OPENERS: Record<EventFormat, FormatOpener> = {
  nmnist: openNmnist,
  aedat2: openAedat2,
  aedat4: openAedat4,
  dat: openDat,
  evt2: openEvt2,
  evt3: openEvt3,
  es: openEventStream,
  text: openText,
  npy: openNpy,
  mat: openMat,
};

/** An event file whose header has been read; its events are read on demand, chunk by chunk. */
export interface EventFileReader {
  readonly info: EventFileInfo;
  /** Counters of the events read so far; complete once `chunks()` has finished. */
  readonly stats: ReadStats;
  /**
   * Yields the events in chunks of at most `chunkSize`, reading the file in fixed-size blocks so
   * that memory does not grow with the file. Can be iterated once; the file is closed at the end.
   */
  chunks(): Generator<EventChunk>;
  /** Closes the file early, for a caller that stops before the last chunk. */
  close(): void;
}

/**
 * Opens an event recording, detects its format from the content (unless `options.format` is
 * set) and parses its header. Throws EventFileError for unreadable or unrecognised files.
 */
export function openEventFile(filePath: string, options: ReadOptions = {}): EventFileReader {
  if (options.format !== undefined && !EVENT_FORMATS.includes(options.format)) {
    throw new RangeError(`unknown event format '${options.format}'; expected one of ${EVENT_FORMATS.join(', ')}`);
  }
  const source = new FileSource(filePath);
  try {
    const format = options.format ?? detectFormat(source).format;
    const opened = OPENERS[format](source, options);
    const sensorSize: SensorSize | null = options.sensorSize
      ? { width: options.sensorSize.width, height: options.sensorSize.height, source: 'option' }
      : opened.sensorSize;
    const info: EventFileInfo = {
      path: filePath,
      format,
      formatName: FORMAT_NAMES[format],
      fileBytes: source.size,
      headerBytes: opened.headerBytes,
      sensorSize,
      header: opened.header,
    };
    if (opened.chip !== undefined) info.chip = opened.chip;

    const sink = new EventSink({
      file: filePath,
      chunkSize: options.chunkSize,
      onInvalidEvent: options.onInvalidEvent,
      onTimeBackwards: options.onTimeBackwards,
      onTruncated: options.onTruncated,
    });
    if (sensorSize) sink.setSensorSize(sensorSize.width, sensorSize.height);

    let started = false;
    return {
      info,
      stats: sink.stats,
      close: () => source.close(),
      chunks: function* () {
        if (started) throw new Error(`the events of ${filePath} were already read; open the file again`);
        started = true;
        try {
          yield* opened.body(sink);
          if (sink.n > 0) yield sink.takeChunk(true);
        } finally {
          source.close();
        }
      },
    };
  } catch (error) {
    source.close();
    throw error;
  }
}

/** Yields the events of a file chunk by chunk; returns the file info and read counters when done. */
export function* readEventChunks(
  filePath: string,
  options: ReadOptions = {},
): Generator<EventChunk, { info: EventFileInfo; stats: ReadStats }> {
  const reader = openEventFile(filePath, options);
  yield* reader.chunks();
  return { info: reader.info, stats: reader.stats };
}

export interface EventRecording {
  events: EventArrays;
  info: EventFileInfo;
  stats: ReadStats;
}

/** Reads every event of a file into one set of arrays (memory grows with the file). */
export function readAllEvents(filePath: string, options: ReadOptions = {}): EventRecording {
  const reader = openEventFile(filePath, options);
  const chunks: EventChunk[] = [];
  for (const chunk of reader.chunks()) chunks.push(chunk);
  return { events: concatChunks(chunks), info: reader.info, stats: reader.stats };
}

/** Concatenates chunks into one set of arrays. */
export function concatChunks(chunks: EventChunk[]): EventArrays {
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const events: EventArrays = {
    timestampUs: new Float64Array(total),
    x: new Uint16Array(total),
    y: new Uint16Array(total),
    polarity: new Uint8Array(total),
    length: total,
  };
  let offset = 0;
  for (const chunk of chunks) {
    events.timestampUs.set(chunk.timestampUs, offset);
    events.x.set(chunk.x, offset);
    events.y.set(chunk.y, offset);
    events.polarity.set(chunk.polarity, offset);
    offset += chunk.length;
  }
  return events;
}
