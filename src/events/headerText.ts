import { EventFileError } from './errors';
import type { FileSource } from './fileSource';

/** Text headers longer than this are rejected as not being headers. */
const MAX_HEADER_BYTES = 16 << 20;
const READ_PIECE_BYTES = 4 << 10;

export interface HeaderLines {
  /** Header lines without the line ending (the prefix character is kept). */
  lines: string[];
  /** File offset of the first byte after the header. */
  endOffset: number;
  /** True when the file ended inside a header line (a line without its newline). */
  endsInsideLine: boolean;
  /** True when an explicit end line (`stopLine`) closed the header. */
  endedByStopLine: boolean;
}

/**
 * Reads the text header lines that start with `prefix` (`%` for Prophesee, `#` for AEDAT) from
 * the start of the file.
 *
 * Binary data may itself start with the prefix byte, so a line only counts as header when it is
 * text: it must reach a newline without control bytes other than tab and carriage return. Reading
 * also stops after a line equal to `stopLine` (for example `% end`).
 */
export function readHeaderLines(source: FileSource, prefix: string, stopLine?: string): HeaderLines {
  const prefixByte = prefix.charCodeAt(0);
  const lines: string[] = [];
  let buffer = source.readAt(0, READ_PIECE_BYTES);
  let pos = 0;

  for (;;) {
    if (pos >= buffer.length) {
      if (buffer.length >= source.size) return done(false, false);
      buffer = grow(source, buffer, pos);
      continue;
    }
    if (buffer[pos] !== prefixByte) return done(false, false);

    let i = pos;
    let isText = true;
    while (i < buffer.length && buffer[i] !== 0x0a) {
      const byte = buffer[i];
      if (byte < 0x20 && byte !== 0x09 && byte !== 0x0d) {
        isText = false;
        break;
      }
      i++;
    }
    if (!isText) return done(false, false);
    if (i >= buffer.length) {
      if (buffer.length >= source.size) {
        lines.push(decodeLine(buffer, pos, i));
        pos = i;
        return done(true, false);
      }
      buffer = grow(source, buffer, pos);
      continue;
    }
    const line = decodeLine(buffer, pos, i);
    lines.push(line);
    pos = i + 1;
    if (stopLine !== undefined && line.trim() === stopLine) return done(false, true);
  }

  function done(endsInsideLine: boolean, endedByStopLine: boolean): HeaderLines {
    return { lines, endOffset: pos, endsInsideLine, endedByStopLine };
  }
}

function decodeLine(buffer: Buffer, start: number, end: number): string {
  const stop = end > start && buffer[end - 1] === 0x0d ? end - 1 : end;
  return buffer.toString('latin1', start, stop);
}

function grow(source: FileSource, buffer: Buffer, pos: number): Buffer {
  if (buffer.length >= MAX_HEADER_BYTES) {
    throw new EventFileError(
      source.path,
      pos,
      `the text header is longer than ${MAX_HEADER_BYTES} bytes; the file is not in the expected format`,
    );
  }
  return source.readAt(0, Math.min(MAX_HEADER_BYTES, buffer.length * 4));
}

/**
 * Splits `% key value` lines into fields. A key that repeats keeps its first value, and a line
 * without a space is stored with an empty value.
 */
export function parseKeyValueLines(lines: string[], prefix: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const raw of lines) {
    const body = raw.slice(prefix.length).trim();
    if (body === '') continue;
    const space = body.search(/\s/);
    const key = space < 0 ? body : body.slice(0, space);
    const value = space < 0 ? '' : body.slice(space + 1).trim();
    if (!(key in fields)) fields[key] = value;
  }
  return fields;
}
