import { Component, Engine, EventQueue } from '../../src/simulate';

describe('event queue', () => {
  test('pops by time, then priority, then insertion', () => {
    const queue = new EventQueue(2);
    queue.push(5, 0, 0, 1, 0);
    queue.push(3, 1, 0, 2, 0);
    queue.push(3, 0, 0, 3, 0);
    queue.push(3, 1, 0, 4, 0);
    queue.push(1, 9, 0, 5, 0);
    const kinds: number[] = [];
    while (queue.pop()) kinds.push(queue.poppedKind);
    expect(kinds).toEqual([5, 3, 2, 4, 1]);
  });

  test('keeps order across growth and reused slots', () => {
    const queue = new EventQueue(4);
    const times: number[] = [];
    for (let index = 0; index < 1000; index++) queue.push((index * 7919) % 1009, 0, 0, index, index);
    for (let index = 0; index < 500; index++) {
      queue.pop();
      times.push(queue.poppedTime);
    }
    for (let index = 0; index < 300; index++) queue.push(2000 + index, 0, 0, index, 0);
    while (queue.pop()) times.push(queue.poppedTime);
    expect(times).toHaveLength(1300);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});

describe('engine', () => {
  test('delivers events to their components in order', () => {
    const engine = new Engine();
    const log: string[] = [];
    class Echo implements Component {
      constructor(readonly name: string) {}
      handle(kind: number, arg: number, timeCycles: number): void {
        log.push(`${this.name}:${kind}:${arg}@${timeCycles}`);
        if (kind === 0) engine.schedule(timeCycles + arg, ping, 1, 0);
      }
    }
    const ping = engine.register(new Echo('ping'));
    const pong = engine.register(new Echo('pong'));
    engine.schedule(2, pong, 0, 3);
    engine.schedule(2, ping, 0, 1, -1);
    const end = engine.run();
    expect(log).toEqual(['ping:0:1@2', 'pong:0:3@2', 'ping:1:0@3', 'ping:1:0@5']);
    expect(end).toBe(5);
    expect(engine.eventCount).toBe(4);
  });

  test('rejects an event in the past', () => {
    const engine = new Engine();
    const target = engine.register({ handle: () => engine.schedule(1, target, 0) });
    engine.schedule(4, target, 0);
    expect(() => engine.run()).toThrow('scheduled at cycle 1, before the current cycle 4');
  });
});
