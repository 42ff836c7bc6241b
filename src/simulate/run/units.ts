import { ResolvedHardware } from '../../spec/hardware';
import { DramTiming, DramUnit } from '../components/dram';
import { Link } from '../components/link';
import { MemoryUnit } from '../components/memory';
import { NeuronUnit } from '../components/neuron-unit';
import { PeArray } from '../components/pe-array';

/** The components of the simulated machine: one memory unit per level, links made on first use, the PE array and the neuron unit. */
export class MachineUnits {
  readonly memories: MemoryUnit[];
  readonly dram: DramUnit;
  readonly peArray: PeArray;
  readonly neuronUnit: NeuronUnit;
  private readonly links = new Map<number, Link>();

  constructor(
    readonly hardware: ResolvedHardware,
    dramTiming: DramTiming | null,
  ) {
    this.dram = new DramUnit(hardware.dram, dramTiming);
    this.memories = hardware.levels.map((level) => (level.index === hardware.dram.index ? this.dram : new MemoryUnit(level)));
    this.peArray = new PeArray(hardware);
    this.neuronUnit = new NeuronUnit(hardware);
  }

  /** The link that moves data from one level to another. */
  link(sourceIndex: number, destinationIndex: number): Link {
    const key = sourceIndex * 64 + destinationIndex;
    let link = this.links.get(key);
    if (!link) {
      link = new Link(this.memories[sourceIndex], this.memories[destinationIndex]);
      this.links.set(key, link);
    }
    return link;
  }

  allLinks(): Link[] {
    return [...this.links.values()];
  }
}
