import * as path from 'path';

import { EventFileError } from './errors';
import type { FileSource } from './fileSource';
import { readHeaderLines } from './headerText';
import type { EventFormat } from './types';

const MAGIC_BYTES = 64;
/** Bytes checked for text and for N-MNIST records when no magic matched. */
const SNIFF_BYTES = 64 << 10;
const NMNIST_RECORDS_CHECKED = 256;

export interface Detection {
  format: EventFormat;
  /** Signature that decided the format. */
  reason: string;
}

/**
 * Detects the container format from the file content: magic bytes, header text, or for N-MNIST
 * (which has no header) the `.bin`/`.bs2` extension or 5-byte records with non-decreasing times.
 */
export function detectFormat(source: FileSource): Detection {
  const magic = source.readAt(0, MAGIC_BYTES);
  const ascii = magic.toString('latin1');

  if (ascii.startsWith('#!AER-DAT4.0')) return { format: 'aedat4', reason: 'magic line #!AER-DAT4.0' };
  if (ascii.startsWith('#!AER-DAT2.0')) return { format: 'aedat2', reason: 'magic line #!AER-DAT2.0' };
  if (ascii.startsWith('#!AER-DAT')) {
    const version = ascii.slice(9).split(/\s/)[0];
    throw new EventFileError(
      source.path,
      0,
      `AEDAT version ${version} is not supported (only 2.0 and 4.0 are); convert the file with DV or jAER to AEDAT 4.0`,
    );
  }
  if (ascii.startsWith('Event Stream')) return { format: 'es', reason: 'magic bytes "Event Stream"' };
  if (magic.length >= 6 && magic[0] === 0x93 && ascii.slice(1, 6) === 'NUMPY') {
    return { format: 'npy', reason: 'magic bytes \\x93NUMPY' };
  }
  if (ascii.startsWith('MATLAB 5.0 MAT-file')) return { format: 'mat', reason: 'MATLAB 5.0 MAT-file header' };
  if (ascii.startsWith('MATLAB 7.3 MAT-file')) {
    throw new EventFileError(
      source.path,
      0,
      'MATLAB 7.3 MAT-files are HDF5 containers, which this reader does not decode; save the variables with -v7 instead',
    );
  }
  if (ascii.startsWith('%')) return detectPropheseeFormat(source);

  const head = source.readAt(0, SNIFF_BYTES);
  if (looksLikeText(head)) return { format: 'text', reason: 'text lines of numbers' };

  const extension = path.extname(source.path).toLowerCase();
  if (extension === '.bin' || extension === '.bs2') {
    return { format: 'nmnist', reason: `file extension ${extension}` };
  }
  if (looksLikeNmnist(head, source.size)) {
    return { format: 'nmnist', reason: '5-byte records with non-decreasing 23-bit timestamps' };
  }
  throw new EventFileError(
    source.path,
    0,
    'the event file format was not recognised from its content; pass the format explicitly ' +
      '(option format, CLI --format) as one of nmnist, aedat2, aedat4, dat, evt2, evt3, es, text, npy, mat',
  );
}

/** Tells Prophesee RAW (EVT 2.0 / 3.0) from DAT by the `% evt` or `% format` header lines. */
function detectPropheseeFormat(source: FileSource): Detection {
  const header = readHeaderLines(source, '%', '% end');
  for (const line of header.lines) {
    const evt = /^%\s*evt\s+(\d+(?:\.\d+)?)/i.exec(line);
    const format = /^%\s*format\s+(EVT\d+)/i.exec(line);
    let version: string;
    if (evt) version = evt[1];
    else if (format) version = format[1].toUpperCase();
    else continue;
    if (version === '2.0' || version === 'EVT2') return { format: 'evt2', reason: `header line "${line}"` };
    if (version === '3.0' || version === 'EVT3') return { format: 'evt3', reason: `header line "${line}"` };
    throw new EventFileError(
      source.path,
      0,
      `Prophesee RAW encoding ${version} is not supported (only EVT 2.0 and EVT 3.0 are); ` +
        'convert the recording with the Metavision tools',
    );
  }
  if (header.lines.some((line) => /data file containing|^%\s*version\s/i.test(line))) {
    return { format: 'dat', reason: 'Prophesee DAT header lines' };
  }
  const typeAndSize = source.readAt(header.endOffset, 2);
  if (typeAndSize.length === 2 && typeAndSize[1] === 8) {
    return { format: 'dat', reason: '% header followed by a DAT event type and size 8' };
  }
  throw new EventFileError(
    source.path,
    header.endOffset,
    'the % header names no encoding (no "% evt" or "% format" line) and is not followed by a DAT event type; ' +
      'pass the format explicitly (evt2, evt3 or dat)',
  );
}

function looksLikeText(head: Buffer): boolean {
  if (head.length === 0) return false;
  for (let i = 0; i < head.length; i++) {
    const byte = head[i];
    const isWhitespace = byte === 0x09 || byte === 0x0a || byte === 0x0d;
    if ((byte < 0x20 && !isWhitespace) || byte > 0x7e) return false;
  }
  const text = head.toString('latin1');
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '' && !/^\s*[#%]/.test(line));
  const firstData = lines.find((line) => /^\s*[-+.\d]/.test(line));
  return firstData !== undefined && firstData.trim().split(/[\s,;]+/).length >= 4;
}

function looksLikeNmnist(head: Buffer, size: number): boolean {
  if (size === 0 || size % 5 !== 0) return false;
  const records = Math.min(NMNIST_RECORDS_CHECKED, Math.floor(head.length / 5));
  let last = -1;
  for (let r = 0; r < records; r++) {
    const i = r * 5;
    const t = ((head[i + 2] & 0x7f) << 16) | (head[i + 3] << 8) | head[i + 4];
    if (t < last) return false;
    last = t;
  }
  return records > 0;
}
