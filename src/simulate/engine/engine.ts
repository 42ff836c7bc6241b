import { EventQueue } from './event-queue';

/**
 * A unit of the simulated machine. The engine delivers each event to its target's `handle`
 * with the event's kind and argument; the numbers mean what the component defines.
 */
export interface Component {
  handle(kind: number, arg: number, timeCycles: number): void;
}

/**
 * A discrete-event engine over cycle times. Components schedule events for each other; the
 * engine delivers them in (time, priority, insertion) order, so equal inputs give equal runs.
 */
export class Engine {
  private readonly queue = new EventQueue();
  private readonly components: Component[] = [];
  /** Time of the event being delivered, in cycles. */
  nowCycles = 0;
  /** Events delivered since the engine was made. */
  eventCount = 0;

  /** Adds a component and returns the id that events use to target it. */
  register(component: Component): number {
    this.components.push(component);
    return this.components.length - 1;
  }

  /** Schedules an event; `timeCycles` must not be earlier than the current time. */
  schedule(timeCycles: number, target: number, kind: number, arg = 0, priority = 0): void {
    if (timeCycles < this.nowCycles) {
      throw new Error(`event for component ${target} scheduled at cycle ${timeCycles}, before the current cycle ${this.nowCycles}`);
    }
    this.queue.push(timeCycles, priority, target, kind, arg);
  }

  get pendingEvents(): number {
    return this.queue.size;
  }

  /** Delivers events until the queue is empty; returns the time of the last one. */
  run(): number {
    const queue = this.queue;
    const components = this.components;
    while (queue.pop()) {
      this.nowCycles = queue.poppedTime;
      this.eventCount++;
      components[queue.poppedTarget].handle(queue.poppedKind, queue.poppedArg, queue.poppedTime);
    }
    return this.nowCycles;
  }
}
