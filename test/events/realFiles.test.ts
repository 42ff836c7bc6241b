/**
 * Every sample recording decodes to the expected event counts, first and last timestamps,
 * ON/OFF splits and coordinate ranges. The expected values were computed by independent
 * Python/numpy decoders written from the format descriptions.
 */
import * as fs from 'fs';

import { openEventFile, readAllEvents, type EventRecording } from '../../src/events/reader';
import { countDifferences, dataPath, describeWithData, expectEventFileError, readEvents } from './helpers';

interface Expected {
  file: string;
  format: string;
  events: number;
  on: number;
  off: number;
  firstUs: number;
  lastUs: number;
  x?: [number, number];
  y?: [number, number];
  sensor?: [number, number] | null;
}

const EXPECTED: Expected[] = [
  {
    file: 'aedat4/davis346_aestream.aedat4',
    format: 'aedat4',
    events: 117_667,
    on: 72_363,
    off: 45_304,
    firstUs: 1_633_953_690_975_950,
    lastUs: 1_633_953_691_105_949,
    sensor: [346, 260],
  },
  {
    file: 'aedat2/dvs128_walking.aedat',
    format: 'aedat2',
    events: 19_182,
    on: 12_080,
    off: 7_102,
    firstUs: 41_306_606,
    lastUs: 48_193_156,
    x: [0, 127],
    y: [0, 127],
    sensor: [128, 128],
  },
  {
    file: 'prophesee_dat/ncars_obj_004397_td.dat',
    format: 'dat',
    events: 4_407,
    on: 1_671,
    off: 2_736,
    firstUs: 0,
    lastUs: 99_937,
    x: [0, 53],
    y: [1, 60],
    sensor: null,
  },
  {
    file: 'prophesee_dat/ncars_obj_004397_td.npy',
    format: 'npy',
    events: 4_407,
    on: 1_671,
    off: 2_736,
    firstUs: 0,
    lastUs: 99_937,
    x: [0, 53],
    y: [1, 60],
  },
  {
    file: 'prophesee_raw_evt2/sparklers_gen3_evt2.raw',
    format: 'evt2',
    events: 521_252,
    on: 185_861,
    off: 335_391,
    firstUs: 913_716_224,
    lastUs: 913_812_095,
    x: [0, 639],
    y: [0, 479],
    sensor: [640, 480],
  },
  {
    file: 'prophesee_raw_evt3/pedestrians_gen41_evt3.raw',
    format: 'evt3',
    events: 5_000,
    on: 2_894,
    off: 2_106,
    firstUs: 5_840_504,
    lastUs: 5_885_714,
    sensor: [1280, 720],
  },
  {
    file: 'eventstream_es/ncars_obj_004397_dvs.es',
    format: 'es',
    events: 4_407,
    on: 1_671,
    off: 2_736,
    firstUs: 0,
    lastUs: 99_937,
    x: [0, 53],
    y: [179, 238],
    sensor: [54, 239],
  },
  {
    file: 'ecd_txt/slider_depth_events_first50k.txt',
    format: 'text',
    events: 50_000,
    on: 21_147,
    off: 28_853,
    firstUs: 3_811,
    lastUs: 174_156,
    x: [0, 239],
    y: [0, 179],
  },
  {
    file: 'matlab_mat/atis_example_td_em.mat',
    format: 'mat',
    events: 242_040,
    on: 93_516,
    off: 148_524,
    firstUs: 0,
    lastUs: 2_999_577,
    x: [0, 303],
    y: [0, 239],
  },
];

describeWithData('sample recordings', () => {
  describe.each(EXPECTED)('$file', (expected) => {
    let recording: EventRecording;
    beforeAll(() => {
      recording = readAllEvents(dataPath(expected.file));
    });

    test('format detected from content', () => {
      expect(recording.info.format).toBe(expected.format);
    });

    test('event count and ON/OFF split', () => {
      const { stats } = recording;
      expect(stats.eventCount).toBe(expected.events);
      expect(stats.onCount).toBe(expected.on);
      expect(stats.offCount).toBe(expected.off);
    });

    test('first and last timestamps', () => {
      expect(recording.stats.firstTimestampUs).toBe(expected.firstUs);
      expect(recording.stats.lastTimestampUs).toBe(expected.lastUs);
    });

    test('coordinate ranges', () => {
      const { stats } = recording;
      if (expected.x) expect([stats.minX, stats.maxX]).toEqual(expected.x);
      if (expected.y) expect([stats.minY, stats.maxY]).toEqual(expected.y);
    });

    test('sensor size', () => {
      const { info } = recording;
      if (expected.sensor === undefined) return;
      if (expected.sensor === null) expect(info.sensorSize).toBeNull();
      else expect([info.sensorSize?.width, info.sensorSize?.height]).toEqual(expected.sensor);
    });

    test('no skipped or truncated data', () => {
      const { stats } = recording;
      expect(stats.skipped['invalidEvents']).toBeUndefined();
      expect(stats.skipped['backwardsEvents']).toBeUndefined();
      expect(stats.truncated).toBeUndefined();
    });
  });

  test('AEDAT 4.0 non-event streams counted', () => {
    const { stats, info } = readAllEvents(dataPath('aedat4/davis346_aestream.aedat4'));
    expect(stats.skipped).toEqual({ framePackets: 3, imuSamples: 130, triggers: 15 });
    expect(info.header['compression']).toBe('LZ4');
    expect(info.header['dataTablePosition']).toBe('1190063');
    expect(info.chip).toBe('DAVIS346_00000104');
    expect(info.header['streams']).toBe('0:EVTS 1:FRME 2:IMUS 3:TRIG');
  });

  test('AEDAT 4.0 timestamps exact beyond 2^32', () => {
    const events = readEvents(dataPath('aedat4/davis346_aestream.aedat4'));
    for (let i = 0; i < events.length; i++) expect(Number.isSafeInteger(events.timestampUs[i])).toBe(true);
    expect(events.timestampUs[0]).toBeGreaterThan(2 ** 32);
  });

  test('AEDAT 2.0 DVS128 header fields', () => {
    const { info } = readAllEvents(dataPath('aedat2/dvs128_walking.aedat'));
    expect(info.chip).toBe('ch.unizh.ini.jaer.chip.retina.DVS128');
    expect(info.headerBytes).toBe(4_612);
    expect(info.header['headerLines']).toBe('84');
    expect(info.header['HardwareInterface']).toBe('DVS128-V1 0298');
    expect(info.sensorSize?.source).toBe('chip');
  });

  test('AEDAT 2.0 header-only file parsed, then reported truncated', () => {
    const file = dataPath('aedat2/davis346red_header_only.aedat');
    const reader = openEventFile(file);
    expect(reader.info.header['version']).toBe('2.0');
    expect(reader.info.header['creationTimeMs']).toBe('1695355587880');
    expect(reader.info.chip).toBe('eu.seebetter.ini.chips.davis.Davis346red');
    expect(reader.info.sensorSize).toEqual({ width: 346, height: 260, source: 'chip' });
    const error = expectEventFileError(() => [...reader.chunks()]);
    expect(error.byteOffset).toBe(599);
    expect(error.message).toContain('End of Preferences');
  });

  test('AEDAT 2.0 header-only file gives 0 events when truncation stops', () => {
    const { stats } = readAllEvents(dataPath('aedat2/davis346red_header_only.aedat'), { onTruncated: 'stop' });
    expect(stats.eventCount).toBe(0);
    expect(stats.truncated?.byteOffset).toBe(599);
  });

  test('EVT 2.0 word counts', () => {
    const { stats } = readAllEvents(dataPath('prophesee_raw_evt2/sparklers_gen3_evt2.raw'));
    expect(stats.counts).toEqual({ 'CD_OFF words': 335_391, 'CD_ON words': 185_861, 'EV_TIME_HIGH words': 5_992 });
    expect(stats.skipped).toEqual({});
  });

  test('EVT 3.0 word counts and header', () => {
    const { stats, info } = readAllEvents(dataPath('prophesee_raw_evt3/pedestrians_gen41_evt3.raw'));
    expect(stats.counts).toEqual({
      'EVT_ADDR_Y words': 4_960,
      'EVT_ADDR_X words': 5_000,
      'EVT_TIME_LOW words': 5_590,
      'EVT_TIME_HIGH words': 2_827,
    });
    expect(info.chip).toBe('hal_plugin_gen41_evk3');
    expect(info.header['serial_number']).toBe('00001034');
  });

  test('EVT 3.0 does not reproduce the known-bad reference', () => {
    const ours = readEvents(dataPath('prophesee_raw_evt3/pedestrians_gen41_evt3.raw'));
    const bad = readEvents(
      dataPath('prophesee_raw_evt3/known_bad_reference/pedestrians_gen41_evt3.expelliarmus_decode_buggy_t.npy'),
    );
    expect(countDifferences(ours.x, bad.x)).toBe(0);
    expect(countDifferences(ours.y, bad.y)).toBe(0);
    expect(countDifferences(ours.polarity, bad.polarity)).toBe(0);
    expect(countDifferences(ours.timestampUs, bad.timestampUs)).toBe(4_954);
    expect(bad.timestampUs[bad.length - 1]).toBe(5_930_770);
    expect(ours.timestampUs[ours.length - 1]).toBe(5_885_714);
    for (let i = 0; i < ours.length; i++) {
      const excess = bad.timestampUs[i] - ours.timestampUs[i];
      expect(excess % 4096).toBe(0);
      expect(excess).toBeGreaterThanOrEqual(0);
    }
  });

  test('DAT equals its NumPy decode', () => {
    const dat = readEvents(dataPath('prophesee_dat/ncars_obj_004397_td.dat'));
    const npy = readEvents(dataPath('prophesee_dat/ncars_obj_004397_td.npy'));
    expect(countDifferences(dat.timestampUs, npy.timestampUs)).toBe(0);
    expect(countDifferences(dat.x, npy.x)).toBe(0);
    expect(countDifferences(dat.y, npy.y)).toBe(0);
    expect(countDifferences(dat.polarity, npy.polarity)).toBe(0);
  });

  test('Event Stream equals DAT with y flipped', () => {
    const dat = readEvents(dataPath('prophesee_dat/ncars_obj_004397_td.dat'));
    const es = readEvents(dataPath('eventstream_es/ncars_obj_004397_dvs.es'));
    expect(countDifferences(dat.timestampUs, es.timestampUs)).toBe(0);
    expect(countDifferences(dat.x, es.x)).toBe(0);
    expect(countDifferences(dat.polarity, es.polarity)).toBe(0);
    const flipped = Array.from(dat.y, (y) => 239 - y);
    expect(countDifferences(flipped, es.y)).toBe(0);
  });

  test('Event Stream overflow bytes counted', () => {
    const { stats, info } = readAllEvents(dataPath('eventstream_es/ncars_obj_004397_dvs.es'));
    expect(stats.counts['overflowBytes']).toBe(50);
    expect(info.header['version']).toBe('2.0.0');
    expect(info.header['type']).toBe('dvs');
  });

  test('ECD text first event', () => {
    const events = readEvents(dataPath('ecd_txt/slider_depth_events_first50k.txt'));
    expect([events.timestampUs[0], events.x[0], events.y[0], events.polarity[0]]).toEqual([3_811, 96, 133, 0]);
  });

  test('ECD text as explicit format', () => {
    const { stats } = readAllEvents(dataPath('ecd_txt/slider_depth_events_first50k.txt'), { format: 'text', textTimeUnit: 's' });
    expect(stats.eventCount).toBe(50_000);
  });

  test('MATLAB EM struct by variable name', () => {
    const { stats, info } = readAllEvents(dataPath('matlab_mat/atis_example_td_em.mat'), { matVariable: 'EM' });
    expect(info.header['variable']).toBe('EM');
    expect(stats.eventCount).toBe(442_382);
    expect(stats.firstTimestampUs).toBe(17);
    expect(stats.lastTimestampUs).toBe(2_999_930);
  });

  test('MATLAB coordinates converted to 0-based', () => {
    const events = readEvents(dataPath('matlab_mat/atis_example_td_em.mat'));
    let minX = Infinity;
    let maxX = -Infinity;
    for (let i = 0; i < events.length; i++) {
      minX = Math.min(minX, events.x[i]);
      maxX = Math.max(maxX, events.x[i]);
    }
    expect([minX, maxX]).toEqual([0, 303]);
  });

  test('explicit format overrides detection', () => {
    const error = expectEventFileError(() => readAllEvents(dataPath('prophesee_dat/ncars_obj_004397_td.dat'), { format: 'evt3' }));
    expect(error.message).toContain('expected EVT3');
    const { stats } = readAllEvents(dataPath('nmnist_bin/train/1.bs2'), { format: 'nmnist' });
    expect(stats.eventCount).toBe(4_681);
  });

  test('sample folder holds every listed file', () => {
    for (const expected of EXPECTED) expect(fs.existsSync(dataPath(expected.file))).toBe(true);
  });
});
