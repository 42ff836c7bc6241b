/** EVT 2.0 and EVT 3.0 decoding on small hand-built word streams. */
import { readAllEvents } from '../../src/events/reader';
import { expectEventFileError, makeTempDir, rawFile, writeTemp } from './helpers';

const OLD_EVT3_HEADER = ['% Date 2020-09-14 14:18:29', '% evt 3.0', '% plugin_name hal_plugin_gen41_evk3'];
const NEW_EVT3_HEADER = [
  '% camera_integrator_name Prophesee',
  '% date 2023-03-29 16:37:46',
  '% format EVT3;height=720;width=1280',
  '% geometry 1280x720',
  '% end',
];

const evt3 = {
  addrY: (y: number) => 0x0000 | y,
  addrX: (x: number, p: number) => 0x2000 | (p << 11) | x,
  vectBaseX: (x: number, p: number) => 0x3000 | (p << 11) | x,
  vect12: (mask: number) => 0x4000 | mask,
  vect8: (mask: number) => 0x5000 | mask,
  timeLow: (t: number) => 0x6000 | t,
  continued4: (v: number) => 0x7000 | v,
  timeHigh: (t: number) => 0x8000 | t,
  extTrigger: (id: number, value: number) => 0xa000 | (id << 8) | value,
  others: (v: number) => 0xe000 | v,
  continued12: (v: number) => 0xf000 | v,
};

const evt2 = {
  cd: (p: number, tLow: number, x: number, y: number) => ((p << 28) | (tLow << 22) | (x << 11) | y) >>> 0,
  timeHigh: (t: number) => ((0x8 << 28) | t) >>> 0,
  extTrigger: (tLow: number, id: number, value: number) => ((0xa << 28) | (tLow << 22) | (id << 8) | value) >>> 0,
  others: () => (0xe << 28) >>> 0,
};

const tempDir = makeTempDir();
let fileIndex = 0;

function writeEvt3(words: number[], header = NEW_EVT3_HEADER): string {
  return writeTemp(tempDir(), `case${fileIndex++}.raw`, rawFile(header, words, 2));
}

function writeEvt2(words: number[], header = ['% evt 2.0', '% plugin_name hal_plugin_gen3_fx3']): string {
  return writeTemp(tempDir(), `case${fileIndex++}.raw`, rawFile(header, words, 4));
}

function eventList(file: string, options = {}): Array<[number, number, number, number]> {
  const { events } = readAllEvents(file, options);
  return Array.from({ length: events.length }, (_, i) => [
    events.timestampUs[i],
    events.x[i],
    events.y[i],
    events.polarity[i],
  ]);
}

describe('EVT 3.0', () => {
  test('vector group outputs one event per mask bit', () => {
    const file = writeEvt3([
      evt3.timeHigh(1),
      evt3.timeLow(5),
      evt3.addrY(10),
      evt3.vectBaseX(100, 1),
      evt3.vect12(0b101),
      evt3.vect12(0x800),
      evt3.vect8(0x81),
    ]);
    const t = 4096 + 5;
    expect(eventList(file)).toEqual([
      [t, 100, 10, 1],
      [t, 102, 10, 1],
      [t, 123, 10, 1],
      [t, 124, 10, 1],
      [t, 131, 10, 1],
    ]);
  });

  test('incomplete vector group before TIME_HIGH', () => {
    const file = writeEvt3([
      evt3.timeHigh(1),
      evt3.timeLow(0),
      evt3.addrY(3),
      evt3.vectBaseX(200, 0),
      evt3.vect12(0b1),
      evt3.timeHigh(2),
      evt3.timeLow(7),
      evt3.addrX(5, 1),
    ]);
    expect(eventList(file)).toEqual([
      [4096, 200, 3, 0],
      [8192 + 7, 5, 3, 1],
    ]);
  });

  test('24-bit time wrap', () => {
    const file = writeEvt3([
      evt3.timeHigh(4095),
      evt3.timeLow(4095),
      evt3.addrY(0),
      evt3.addrX(1, 0),
      evt3.timeHigh(0),
      evt3.timeLow(1),
      evt3.addrX(2, 1),
    ]);
    const events = eventList(file);
    expect(events[0][0]).toBe(2 ** 24 - 1);
    expect(events[1][0]).toBe(2 ** 24 + 1);
  });

  test('timestamps exact past 2^32 after many wraps', () => {
    const words: number[] = [evt3.addrY(0)];
    for (let wrap = 0; wrap < 300; wrap++) {
      for (const high of [0, 1400, 2800, 4000]) words.push(evt3.timeHigh(high), evt3.timeLow(1), evt3.addrX(1, 1));
    }
    const events = eventList(writeEvt3(words));
    expect(events).toHaveLength(1200);
    expect(events[events.length - 1][0]).toBe(299 * 2 ** 24 + 4000 * 4096 + 1);
    expect(events[events.length - 1][0]).toBeGreaterThan(2 ** 32);
  });

  test('trigger, CONTINUED and OTHERS words skipped and counted', () => {
    const file = writeEvt3([
      evt3.timeHigh(1),
      evt3.timeLow(0),
      evt3.addrY(1),
      evt3.extTrigger(0, 1),
      evt3.continued4(3),
      evt3.others(0x123),
      evt3.continued12(0xabc),
      evt3.addrX(9, 1),
      0x9999,
    ]);
    const { stats } = readAllEvents(file);
    expect(stats.eventCount).toBe(1);
    expect(stats.skipped).toEqual({ externalTriggers: 1, vendorWords: 3, reservedWords: 1 });
    expect(stats.counts['EXT_TRIGGER words']).toBe(1);
  });

  test('events before the first TIME_HIGH skipped and counted', () => {
    const file = writeEvt3([evt3.addrY(1), evt3.addrX(1, 0), evt3.timeHigh(1), evt3.addrX(2, 0)]);
    const { stats } = readAllEvents(file);
    expect(stats.eventCount).toBe(1);
    expect(stats.skipped['eventsBeforeTimeHigh']).toBe(1);
  });

  test('newer header with % end before a % byte', () => {
    // ADDR_Y 0x25 is stored as the bytes 25 00, which starts with the header prefix '%'.
    const file = writeEvt3([evt3.addrY(0x25), evt3.timeHigh(1), evt3.addrX(4, 1)]);
    const { stats, info } = readAllEvents(file);
    expect(info.format).toBe('evt3');
    expect(info.sensorSize).toEqual({ width: 1280, height: 720, source: 'header' });
    expect(info.header['geometry']).toBe('1280x720');
    expect(stats.eventCount).toBe(1);
    expect(stats.maxY).toBe(0x25);
  });

  test('older header without % end before a % byte', () => {
    const file = writeEvt3([evt3.addrY(0x25), evt3.timeHigh(1), evt3.addrX(4, 1)], OLD_EVT3_HEADER);
    const { stats, info } = readAllEvents(file);
    expect(info.sensorSize).toEqual({ width: 1280, height: 720, source: 'chip' });
    expect(info.header['evt']).toBe('3.0');
    expect(stats.eventCount).toBe(1);
  });

  test('file ending after VECT_BASE_X rejected', () => {
    const words = [evt3.timeHigh(1), evt3.addrY(1), evt3.addrX(1, 1), evt3.vectBaseX(64, 1)];
    const file = writeEvt3(words);
    const error = expectEventFileError(() => readAllEvents(file));
    const headerBytes = NEW_EVT3_HEADER.join('\n').length + 1;
    expect(error.byteOffset).toBe(headerBytes + 6);
    expect(error.message).toContain('inside a vector group');
    expect(error.message).toContain(file);
  });

  test('file ending inside a vector group rejected', () => {
    const file = writeEvt3([evt3.timeHigh(1), evt3.addrY(1), evt3.vectBaseX(64, 1), evt3.vect12(0xfff)]);
    const error = expectEventFileError(() => readAllEvents(file));
    expect(error.message).toContain('12 of 32 pixels');
  });

  test('vector group cut at the end kept when truncation stops', () => {
    const file = writeEvt3([evt3.timeHigh(1), evt3.addrY(1), evt3.vectBaseX(64, 1), evt3.vect12(0b11)]);
    const { stats } = readAllEvents(file, { onTruncated: 'stop' });
    expect(stats.eventCount).toBe(2);
    expect(stats.truncated?.message).toContain('vector group');
  });

  test('complete vector group at the end accepted', () => {
    const file = writeEvt3([
      evt3.timeHigh(1),
      evt3.addrY(1),
      evt3.vectBaseX(64, 1),
      evt3.vect12(1),
      evt3.vect12(1),
      evt3.vect8(1),
    ]);
    expect(readAllEvents(file).stats.eventCount).toBe(3);
  });

  test('odd byte count rejected', () => {
    const bytes = rawFile(NEW_EVT3_HEADER, [evt3.timeHigh(1), evt3.addrY(1), evt3.addrX(1, 1)], 2);
    const file = writeTemp(tempDir(), 'odd.raw', bytes.subarray(0, bytes.length - 1));
    const error = expectEventFileError(() => readAllEvents(file));
    expect(error.byteOffset).toBe(bytes.length - 2);
    expect(error.message).toContain('16-bit word');
  });

  test('x outside the sensor rejected, or skipped on request', () => {
    const file = writeEvt3([evt3.timeHigh(1), evt3.addrY(1), evt3.addrX(1500, 1), evt3.addrX(3, 0)]);
    const error = expectEventFileError(() => readAllEvents(file));
    expect(error.message).toContain('x=1500');
    expect(error.message).toContain('1280x720');
    const { stats } = readAllEvents(file, { onInvalidEvent: 'skip' });
    expect(stats.eventCount).toBe(1);
    expect(stats.skipped['invalidEvents']).toBe(1);
  });

  test('TIME_HIGH stepping back is a backwards timestamp, not a wrap', () => {
    const file = writeEvt3([
      evt3.timeHigh(5),
      evt3.addrY(1),
      evt3.addrX(1, 1),
      evt3.timeHigh(3),
      evt3.addrX(2, 1),
      evt3.timeHigh(6),
      evt3.addrX(3, 1),
    ]);
    const error = expectEventFileError(() => readAllEvents(file));
    expect(error.message).toContain(`timestamp ${3 * 4096} us is earlier`);
    expect(readAllEvents(file, { onTimeBackwards: 'skip' }).stats.skipped['backwardsEvents']).toBe(1);
    const kept = readAllEvents(file, { onTimeBackwards: 'keep' });
    expect(kept.stats.eventCount).toBe(3);
    expect(kept.stats.counts['backwardsEvents']).toBe(1);
  });
});

describe('EVT 2.0', () => {
  test('CD events, TIME_HIGH and trigger', () => {
    const file = writeEvt2([
      evt2.cd(1, 3, 7, 8),
      evt2.timeHigh(10),
      evt2.cd(1, 3, 7, 8),
      evt2.extTrigger(4, 0, 1),
      evt2.cd(0, 63, 639, 479),
      evt2.others(),
    ]);
    expect(eventList(file)).toEqual([
      [640 + 3, 7, 8, 1],
      [640 + 63, 639, 479, 0],
    ]);
    const { stats, info } = readAllEvents(file);
    expect(info.format).toBe('evt2');
    expect(stats.skipped).toEqual({ eventsBeforeTimeHigh: 1, externalTriggers: 1, vendorWords: 1 });
  });

  test('newer header with format line', () => {
    const file = writeEvt2([evt2.timeHigh(1), evt2.cd(1, 0, 1, 1)], ['% format EVT2;height=320;width=320', '% end']);
    const { info, stats } = readAllEvents(file);
    expect(info.format).toBe('evt2');
    expect(info.sensorSize).toEqual({ width: 320, height: 320, source: 'header' });
    expect(stats.eventCount).toBe(1);
  });

  test('28-bit TIME_HIGH wrap', () => {
    const file = writeEvt2([evt2.timeHigh(2 ** 28 - 1), evt2.cd(1, 0, 1, 1), evt2.timeHigh(0), evt2.cd(1, 1, 1, 1)]);
    const events = eventList(file);
    expect(events[0][0]).toBe((2 ** 28 - 1) * 64);
    expect(events[1][0]).toBe(2 ** 34 + 1);
  });

  test('truncated word rejected with its offset', () => {
    const bytes = rawFile(['% evt 2.0'], [evt2.timeHigh(1), evt2.cd(1, 0, 1, 1)], 4);
    const file = writeTemp(tempDir(), 'evt2cut.raw', bytes.subarray(0, bytes.length - 3));
    const error = expectEventFileError(() => readAllEvents(file));
    expect(error.byteOffset).toBe(bytes.length - 4);
    expect(error.message).toContain('1 of its 4 bytes');
  });

  test('unsupported encoding rejected', () => {
    const file = writeEvt2([evt2.timeHigh(1)], ['% format EVT21;height=720;width=1280', '% end']);
    const error = expectEventFileError(() => readAllEvents(file));
    expect(error.message).toContain('EVT21');
  });
});
