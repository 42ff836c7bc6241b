/**
 * A binary min-heap of events ordered by (time, priority, insertion sequence).
 *
 * Events are stored field by field in typed arrays and addressed by slot, so pushing and popping
 * allocate nothing once the arrays have grown. The heap orders slot numbers; a popped slot goes
 * back to a free list.
 */
export class EventQueue {
  private times: Float64Array;
  private priorities: Int32Array;
  private sequences: Float64Array;
  private targets: Int32Array;
  private kinds: Int32Array;
  private args: Float64Array;
  private heap: Int32Array;
  private freeSlots: Int32Array;
  private freeCount = 0;
  private slotCount = 0;
  private heapSize = 0;
  private nextSequence = 0;

  /** Fields of the event returned by the last `pop`. */
  poppedTime = 0;
  poppedTarget = 0;
  poppedKind = 0;
  poppedArg = 0;

  constructor(initialCapacity = 1024) {
    this.times = new Float64Array(initialCapacity);
    this.priorities = new Int32Array(initialCapacity);
    this.sequences = new Float64Array(initialCapacity);
    this.targets = new Int32Array(initialCapacity);
    this.kinds = new Int32Array(initialCapacity);
    this.args = new Float64Array(initialCapacity);
    this.heap = new Int32Array(initialCapacity);
    this.freeSlots = new Int32Array(initialCapacity);
  }

  get size(): number {
    return this.heapSize;
  }

  /** Adds an event; among equal times, a lower priority pops first, then the earlier push. */
  push(time: number, priority: number, target: number, kind: number, arg: number): void {
    const slot = this.takeSlot();
    this.times[slot] = time;
    this.priorities[slot] = priority;
    this.sequences[slot] = this.nextSequence++;
    this.targets[slot] = target;
    this.kinds[slot] = kind;
    this.args[slot] = arg;

    let index = this.heapSize++;
    const heap = this.heap;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parentSlot = heap[parentIndex];
      if (!this.isBefore(slot, parentSlot)) break;
      heap[index] = parentSlot;
      index = parentIndex;
    }
    heap[index] = slot;
  }

  /** Removes the earliest event into the `popped*` fields; returns false when the queue is empty. */
  pop(): boolean {
    if (this.heapSize === 0) return false;
    const heap = this.heap;
    const slot = heap[0];
    this.poppedTime = this.times[slot];
    this.poppedTarget = this.targets[slot];
    this.poppedKind = this.kinds[slot];
    this.poppedArg = this.args[slot];
    this.freeSlots[this.freeCount++] = slot;

    const size = --this.heapSize;
    if (size > 0) {
      const last = heap[size];
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        if (left >= size) break;
        const right = left + 1;
        let child = left;
        if (right < size && this.isBefore(heap[right], heap[left])) child = right;
        if (!this.isBefore(heap[child], last)) break;
        heap[index] = heap[child];
        index = child;
      }
      heap[index] = last;
    }
    return true;
  }

  /** Time of the earliest event, or Infinity when the queue is empty. */
  peekTime(): number {
    return this.heapSize === 0 ? Infinity : this.times[this.heap[0]];
  }

  private isBefore(a: number, b: number): boolean {
    const timeA = this.times[a];
    const timeB = this.times[b];
    if (timeA !== timeB) return timeA < timeB;
    const priorityA = this.priorities[a];
    const priorityB = this.priorities[b];
    if (priorityA !== priorityB) return priorityA < priorityB;
    return this.sequences[a] < this.sequences[b];
  }

  private takeSlot(): number {
    if (this.freeCount > 0) return this.freeSlots[--this.freeCount];
    if (this.slotCount === this.times.length) this.grow();
    return this.slotCount++;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    this.times = growFloat64(this.times, capacity);
    this.priorities = growInt32(this.priorities, capacity);
    this.sequences = growFloat64(this.sequences, capacity);
    this.targets = growInt32(this.targets, capacity);
    this.kinds = growInt32(this.kinds, capacity);
    this.args = growFloat64(this.args, capacity);
    this.heap = growInt32(this.heap, capacity);
    this.freeSlots = growInt32(this.freeSlots, capacity);
  }
}

function growFloat64(array: Float64Array, capacity: number): Float64Array {
  const grown = new Float64Array(capacity);
  grown.set(array);
  return grown;
}

function growInt32(array: Int32Array, capacity: number): Int32Array {
  const grown = new Int32Array(capacity);
  grown.set(array);
  return grown;
}
