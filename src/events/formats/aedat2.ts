/**
 * AEDAT 2.0 (jAER): `#` text header lines, then 8-byte big-endian records of an int32 address
 * and an int32 timestamp in microseconds.
 *
 * The output x and y are the address fields as stored. jAER displays DVS128 x mirrored
 * (width - 1 - x) with the origin at the lower-left corner; no such flip is applied here.
 */
import { DEFAULT_BLOCK_BYTES, decodeBlocks, type BlockDecoder } from '../blockDecoder';
import { EventFileError } from '../errors';
import type { EventSink } from '../eventSink';
import { readHeaderLines } from '../headerText';
import { sensorSizeForChip } from '../sensors';
import type { Aedat2Layout } from '../types';
import type { FormatOpener } from './format';

const RECORD_BYTES = 8;
const TIME_RANGE_US = 2 ** 32;
/** A drop larger than half the 32-bit range is taken as a clock wrap, a smaller one as a backwards step. */
const WRAP_THRESHOLD_US = 2 ** 31;

/** DVS128 addresses: bit 0 polarity, bits 1-7 x, bits 8-14 y, bit 15 external event. */
const DVS128_EXTERNAL_BIT = 0x8000;

/** DAVIS addresses: bit 31 marks APS and IMU words; IMU words also have bits 10 and 11 set. */
const DAVIS_APS_IMU_BIT = 0x80000000;
const DAVIS_IMU_BITS = 0x0c00;
/** With bit 31 clear, bit 10 marks a special (external input) event. */
const DAVIS_SPECIAL_BIT = 0x0400;

class Aedat2Decoder implements BlockDecoder {
  private lastRaw = 0;
  private wrapUs = 0;
  private skippedExternal = 0;
  private skippedAps = 0;
  private skippedImu = 0;

  constructor(private readonly layout: Aedat2Layout) {}

  decode(b: Uint8Array, start: number, end: number, baseOffset: number, sink: EventSink): number {
    const T = sink.t;
    const X = sink.x;
    const Y = sink.y;
    const P = sink.p;
    const limit = sink.limit;
    const width = sink.width;
    const height = sink.height;
    const isDavis = this.layout === 'davis';
    let n = sink.n;
    let lastT = sink.lastT;
    let lastRaw = this.lastRaw;
    let wrapUs = this.wrapUs;
    let i = start;

    for (; i + RECORD_BYTES <= end && n < limit; i += RECORD_BYTES) {
      const address = ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
      const raw = ((b[i + 4] << 24) | (b[i + 5] << 16) | (b[i + 6] << 8) | b[i + 7]) >>> 0;
      let x: number;
      let y: number;
      let p: number;
      if (isDavis) {
        if (address & DAVIS_APS_IMU_BIT) {
          if ((address & DAVIS_IMU_BITS) === DAVIS_IMU_BITS) this.skippedImu++;
          else this.skippedAps++;
          continue;
        }
        if (address & DAVIS_SPECIAL_BIT) {
          this.skippedExternal++;
          continue;
        }
        y = (address >>> 22) & 0x1ff;
        x = (address >>> 12) & 0x3ff;
        p = (address >>> 11) & 1;
      } else {
        if (address & DVS128_EXTERNAL_BIT) {
          this.skippedExternal++;
          continue;
        }
        x = (address >>> 1) & 0x7f;
        y = (address >>> 8) & 0x7f;
        p = address & 1;
      }

      if (raw < lastRaw - WRAP_THRESHOLD_US) wrapUs += TIME_RANGE_US;
      lastRaw = raw;
      const t = raw + wrapUs;
      if (x >= width || y >= height) {
        sink.rejectOutOfRange(baseOffset + i, x, y);
        continue;
      }
      if (t < lastT) {
        sink.lastT = lastT;
        if (!sink.acceptBackwards(baseOffset + i, t)) continue;
      } else {
        lastT = t;
      }
      T[n] = t;
      X[n] = x;
      Y[n] = y;
      P[n] = p;
      n++;
    }

    sink.n = n;
    sink.lastT = lastT;
    this.lastRaw = lastRaw;
    this.wrapUs = wrapUs;
    return i;
  }

  finish(_b: Uint8Array, start: number, end: number, baseOffset: number, sink: EventSink): void {
    if (this.skippedExternal > 0) sink.skip('externalEvents', this.skippedExternal);
    if (this.skippedAps > 0) sink.skip('apsWords', this.skippedAps);
    if (this.skippedImu > 0) sink.skip('imuWords', this.skippedImu);
    if (end > start) {
      sink.truncated(
        baseOffset + start,
        `the file ends inside a record: ${end - start} of its ${RECORD_BYTES} bytes are present`,
      );
    }
  }
}

function layoutForChip(chip: string | undefined): Aedat2Layout | null {
  if (chip === undefined) return null;
  if (/davis/i.test(chip)) return 'davis';
  if (/dvs128|tmpdiff128/i.test(chip)) return 'dvs128';
  return null;
}

export const openAedat2: FormatOpener = (source, options) => {
  const headerLines = readHeaderLines(source, '#');
  const first = headerLines.lines[0] ?? '';
  if (!first.startsWith('#!AER-DAT2.0')) {
    throw new EventFileError(
      source.path,
      0,
      `expected the AEDAT 2.0 magic line "#!AER-DAT2.0", found ${JSON.stringify(first.slice(0, 40))}; ` +
        'check the file or pass the right format',
    );
  }

  const header: Record<string, string> = { version: '2.0' };
  let preferencesOpen = false;
  let preferencesLines = 0;
  for (const line of headerLines.lines.slice(1)) {
    const body = line.slice(1).trim();
    if (/^Start of Preferences/i.test(body)) {
      preferencesOpen = true;
      continue;
    }
    if (/^End of Preferences/i.test(body)) {
      preferencesOpen = false;
      continue;
    }
    if (preferencesOpen) {
      preferencesLines++;
      continue;
    }
    const colon = body.indexOf(':');
    if (colon > 0) {
      const key = body.slice(0, colon).trim();
      if (!(key in header)) header[key] = body.slice(colon + 1).trim();
    } else if (body !== '') {
      header[`line${Object.keys(header).length}`] = body;
    }
  }
  const creationMs = /currentTimeMillis\(\)\s*(\d+)/.exec(header['Creation time'] ?? '');
  if (creationMs) header['creationTimeMs'] = creationMs[1];
  header['headerLines'] = String(headerLines.lines.length);
  if (preferencesLines > 0) header['preferencesLines'] = String(preferencesLines);

  const chip = header['AEChip'];
  const chipSize = sensorSizeForChip(chip);
  let headerProblem: string | null = null;
  if (headerLines.endsInsideLine) {
    headerProblem = 'the file ends inside a header line';
  } else if (preferencesOpen) {
    headerProblem = 'the file ends inside its header: the preferences block has no "#End of Preferences" line';
  }

  return {
    headerBytes: headerLines.endOffset,
    sensorSize: chipSize ? { ...chipSize, source: 'chip' } : null,
    chip,
    header,
    body: function* (sink) {
      if (headerProblem !== null) {
        sink.truncated(headerLines.endOffset, headerProblem);
        return;
      }
      const layout = options.aedat2Layout ?? layoutForChip(chip);
      if (layout === null) {
        throw new EventFileError(
          source.path,
          headerLines.endOffset,
          `the address layout of chip ${JSON.stringify(chip ?? '(no AEChip header line)')} is not known; ` +
            "pass aedat2Layout 'dvs128' or 'davis' (CLI: --aedat2-layout)",
        );
      }
      yield* decodeBlocks(
        source,
        headerLines.endOffset,
        source.size,
        new Aedat2Decoder(layout),
        sink,
        options.blockBytes ?? DEFAULT_BLOCK_BYTES,
        RECORD_BYTES,
      );
    },
  };
};
