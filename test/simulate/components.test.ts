import { Link } from '../../src/simulate/components/link';
import { MemoryUnit } from '../../src/simulate/components/memory';
import { DramUnit } from '../../src/simulate/components/dram';
import { NeuronUnit, stepNeuron } from '../../src/simulate/components/neuron-unit';
import { ResolvedNeuron } from '../../src/spec/network';
import { tinyHardware } from './fixtures';

describe('memory components', () => {
  test('bandwidth-bound transfer', () => {
    // 1000 bits in 8-bit words are 125 words; at 8 bits per cycle on each side they take 125 cycles.
    const hardware = tinyHardware();
    const link = new Link(new DramUnit(hardware.levels[0]), new MemoryUnit(hardware.levels[1]));
    const energy = link.transfer(10, 125, 125);
    expect(link.lastStartCycles).toBe(10);
    expect(link.lastEndCycles).toBe(135);
    // 1 pJ per word read and 1 pJ per word written.
    expect(energy).toBe(250);
  });

  test('transfers contend for a shared port', () => {
    // Both transfers read the buffer's one read port: the second waits until 4 + 4 = 8.
    const hardware = tinyHardware();
    const buffer = new MemoryUnit(hardware.levels[1]);
    const toWeights = new Link(buffer, new MemoryUnit(hardware.levels[2]));
    const toInputs = new Link(buffer, new MemoryUnit(hardware.levels[3]));
    toWeights.transfer(4, 4, 4);
    toInputs.transfer(4, 2, 2);
    expect(toInputs.lastStartCycles).toBe(4);
    expect(toInputs.lastEndCycles).toBe(10);
    expect(toInputs.lastPortWaitCycles).toBe(4);
    expect(toInputs.lastPortWaitLevel).toBe('gb');
    expect(buffer.readWords).toBe(6);
  });

  test('DRAM row-buffer timing', () => {
    // Rows of 64 bits are 8 words, and banks take alternate rows. Words 0-15 open rows 0 and 1,
    // so 2 misses cost 2 x 10 cycles plus 16 words. Words 8-15 then find row 1 open: 2 + 8 cycles.
    const hardware = tinyHardware();
    const dram = new DramUnit(hardware.levels[0], { banks: 2, rowBits: 64, rowHitCycles: 2, rowMissCycles: 10 });
    const link = new Link(dram, new MemoryUnit(hardware.levels[1]));
    link.transfer(0, 16, 16, 0);
    expect(link.lastEndCycles).toBe(36);
    link.transfer(36, 8, 8, 8);
    expect(link.lastEndCycles - 36).toBe(10);
    expect([dram.rowMisses, dram.rowHits]).toEqual([2, 1]);
  });

  test('capacity occupancy keeps its peak', () => {
    const buffer = new MemoryUnit(tinyHardware().levels[1]);
    buffer.allocate(100);
    buffer.allocate(50);
    buffer.release(120);
    expect(buffer.occupiedBits).toBe(30);
    expect(buffer.peakOccupiedBits).toBe(150);
  });
});

describe('neuron unit', () => {
  const lif: ResolvedNeuron = { model: 'lif', threshold: 1, decay: 0.5, reset: 'subtract', resetValue: 0, initialState: 0, stateful: true };

  test('leak, integrate, threshold and reset', () => {
    // 0.5 * 0.8 + 0.7 = 1.1 reaches 1: a spike, and 1.1 - 1 stays.
    const fired = stepNeuron(lif, 0.8, 0.7);
    expect(fired.spike).toBe(true);
    expect(fired.potential).toBeCloseTo(0.1, 12);
    expect(stepNeuron({ ...lif, reset: 'zero', resetValue: -0.2 }, 0.8, 0.7)).toEqual({ potential: -0.2, spike: true });
    expect(stepNeuron(lif, 0.8, 0.5)).toEqual({ potential: 0.9, spike: false });
    // A neuron that is not stateful forgets 0.8 and starts from its initial state.
    expect(stepNeuron({ ...lif, stateful: false }, 0.8, 0.5)).toEqual({ potential: 0.5, spike: false });
  });

  test('updates lanes per cycle through its pipeline', () => {
    // 2 lanes (PEs along K); 5 neurons issue over 3 cycles, and the last leaves the 6-stage pipeline 5 cycles later.
    const unit = new NeuronUnit(tinyHardware());
    expect(unit.lanes).toBe(2);
    expect(unit.update(10, 5)).toBe(18);
    expect(unit.update(11, 2)).toBe(19);
    expect(unit.energyPj).toBe(7 * 0.25);
  });
});
