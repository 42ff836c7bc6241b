import { EventFileError } from './errors';
import type { EventSink } from './eventSink';
import type { FileSource } from './fileSource';
import type { EventChunk } from './types';

export const DEFAULT_BLOCK_BYTES = 1 << 20;

/** A record longer than this (only text lines can be) is rejected instead of growing the buffer further. */
const MAX_RECORD_BYTES = 64 << 20;

/**
 * Decoder of a record stream that is read in fixed-size blocks.
 *
 * `decode` consumes whole records from `bytes[start, end)` until the bytes run out or the sink is
 * full, and returns the index of the first byte it did not consume. Bytes of an incomplete record
 * are passed again, with more bytes after them, on the next call. `baseOffset` is the file offset
 * of `bytes[0]`, so that errors can name the exact byte offset.
 */
export interface BlockDecoder {
  decode(bytes: Uint8Array, start: number, end: number, baseOffset: number, sink: EventSink): number;
  /**
   * Called once at the end of the data with the bytes that no call of `decode` consumed.
   * Reports an incomplete record or unfinished state through `sink.truncated`. It may still
   * output events, such as a text line without a final newline.
   */
  finish(bytes: Uint8Array, start: number, end: number, baseOffset: number, sink: EventSink): void;
}

/** Smallest read buffer, so that tiny or empty files still get room for one record. */
const MIN_BLOCK_BYTES = 64;

/**
 * Runs `decoder` over the file bytes `[startOffset, endOffset)`, reading `blockBytes` at a time,
 * and yields every full chunk. The caller takes the last, partial chunk from the sink.
 * `bytesPerEvent`, when given, is the fewest bytes one event takes in this format; it caps the
 * chunk size for small files.
 */
export function* decodeBlocks(
  source: FileSource,
  startOffset: number,
  endOffset: number,
  decoder: BlockDecoder,
  sink: EventSink,
  blockBytes: number,
  bytesPerEvent?: number,
): Generator<EventChunk> {
  const dataBytes = Math.max(0, endOffset - startOffset);
  if (bytesPerEvent !== undefined) sink.setSizeHint(dataBytes / bytesPerEvent + 1);
  let buffer = Buffer.allocUnsafe(Math.max(MIN_BLOCK_BYTES, Math.min(blockBytes, dataBytes)));
  let bufferOffset = startOffset;
  let filePosition = startOffset;
  let start = 0;
  let end = 0;

  for (;;) {
    start = decoder.decode(buffer, start, end, bufferOffset, sink);
    if (sink.full) {
      yield sink.takeChunk();
      continue;
    }
    if (sink.stats.truncated) return;
    if (filePosition >= endOffset) {
      decoder.finish(buffer, start, end, bufferOffset, sink);
      return;
    }

    const leftover = end - start;
    if (start > 0) {
      buffer.copyWithin(0, start, end);
      bufferOffset += start;
      start = 0;
      end = leftover;
    }
    if (end === buffer.length) {
      if (buffer.length >= MAX_RECORD_BYTES) {
        throw new EventFileError(
          source.path,
          bufferOffset,
          `a record longer than ${MAX_RECORD_BYTES} bytes starts here; the file is not in the expected format`,
        );
      }
      const larger = Buffer.allocUnsafe(buffer.length * 2);
      buffer.copy(larger, 0, 0, end);
      buffer = larger;
    }
    const requested = Math.min(buffer.length - end, endOffset - filePosition);
    const n = source.readInto(buffer, end, requested, filePosition);
    filePosition += n;
    end += n;
    if (n < requested) endOffset = filePosition;
  }
}
