import * as fs from 'node:fs';

/** Default cap on the events written to a timeline file: about 25 MB of JSON. */
export const DEFAULT_TIMELINE_EVENT_LIMIT = 200_000;

/**
 * A timeline of the run for ui.perfetto.dev: complete events ('X') of computes, transfers and
 * nodes, one process per component. When the run has more events than `eventLimit`, it keeps
 * every N-th event (N doubles each time the limit is reached) and writes N into the metadata.
 */
export class TimelineRecorder {
  private readonly trackNames: string[] = [];
  private readonly trackIds = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly nameIds = new Map<string, number>();
  private tracks: Int32Array;
  private nameIndices: Int32Array;
  private starts: Float64Array;
  private durations: Float64Array;
  private sequences: Float64Array;
  private kept = 0;
  private seen = 0;
  /** Every `keepEvery`-th event is kept. */
  keepEvery = 1;

  constructor(
    readonly clockHz: number,
    readonly eventLimit = DEFAULT_TIMELINE_EVENT_LIMIT,
  ) {
    const capacity = Math.max(16, eventLimit);
    this.tracks = new Int32Array(capacity);
    this.nameIndices = new Int32Array(capacity);
    this.starts = new Float64Array(capacity);
    this.durations = new Float64Array(capacity);
    this.sequences = new Float64Array(capacity);
  }

  get eventsSeen(): number {
    return this.seen;
  }

  get eventsKept(): number {
    return this.kept;
  }

  /** Id of a component's track, made on first use. */
  track(name: string): number {
    let id = this.trackIds.get(name);
    if (id === undefined) {
      id = this.trackNames.length;
      this.trackNames.push(name);
      this.trackIds.set(name, id);
    }
    return id;
  }

  /** Records a span of `durationCycles` from `startCycles` on a track. */
  record(track: number, name: string, startCycles: number, durationCycles: number): void {
    const sequence = this.seen++;
    if (sequence % this.keepEvery !== 0) return;
    if (this.kept === this.eventLimit) this.halve();
    if (sequence % this.keepEvery !== 0) return;
    let nameIndex = this.nameIds.get(name);
    if (nameIndex === undefined) {
      nameIndex = this.names.length;
      this.names.push(name);
      this.nameIds.set(name, nameIndex);
    }
    const at = this.kept++;
    this.tracks[at] = track;
    this.nameIndices[at] = nameIndex;
    this.starts[at] = startCycles;
    this.durations[at] = durationCycles;
    this.sequences[at] = sequence;
  }

  /** Doubles the sampling stride and drops the kept events that the new stride skips. */
  private halve(): void {
    this.keepEvery *= 2;
    let write = 0;
    for (let read = 0; read < this.kept; read++) {
      if (this.sequences[read] % this.keepEvery !== 0) continue;
      this.tracks[write] = this.tracks[read];
      this.nameIndices[write] = this.nameIndices[read];
      this.starts[write] = this.starts[read];
      this.durations[write] = this.durations[read];
      this.sequences[write] = this.sequences[read];
      write++;
    }
    this.kept = write;
  }

  /** Writes the Chrome trace-event JSON that Perfetto opens; `metadata` goes into otherData. */
  writeFile(file: string, metadata: Record<string, string | number | boolean>): void {
    const microsecondsPerCycle = 1e6 / this.clockHz;
    const otherData = {
      ...metadata,
      clockHz: this.clockHz,
      eventsInRun: this.seen,
      eventsWritten: this.kept,
      sampling:
        this.keepEvery === 1
          ? 'none: every event is written'
          : `the run had more than ${this.eventLimit} events, so only every ${this.keepEvery}-th event is written`,
    };
    const descriptor = fs.openSync(file, 'w');
    try {
      fs.writeSync(descriptor, `{"displayTimeUnit":"ns","otherData":${JSON.stringify(otherData)},"traceEvents":[\n`);
      const lines: string[] = [];
      this.trackNames.forEach((name, id) => {
        lines.push(JSON.stringify({ name: 'process_name', ph: 'M', pid: id + 1, tid: 1, args: { name } }));
        lines.push(JSON.stringify({ name: 'thread_name', ph: 'M', pid: id + 1, tid: 1, args: { name } }));
      });
      let first = true;
      const flush = () => {
        if (lines.length === 0) return;
        fs.writeSync(descriptor, (first ? '' : ',\n') + lines.join(',\n'));
        first = false;
        lines.length = 0;
      };
      for (let index = 0; index < this.kept; index++) {
        const ts = this.starts[index] * microsecondsPerCycle;
        const dur = this.durations[index] * microsecondsPerCycle;
        lines.push(
          `{"name":${JSON.stringify(this.names[this.nameIndices[index]])},"ph":"X","pid":${this.tracks[index] + 1},"tid":1,"ts":${ts},"dur":${dur}}`,
        );
        if (lines.length >= 10_000) flush();
      }
      flush();
      fs.writeSync(descriptor, '\n]}\n');
    } finally {
      fs.closeSync(descriptor);
    }
  }
}
