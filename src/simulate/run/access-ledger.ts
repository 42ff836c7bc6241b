import { Operand, OPERANDS } from '../../spec/dims';
import { ResolvedHardware } from '../../spec/hardware';
import { AccessRecord } from '../../metrics/types';
import { PortDirection } from '../components/port';

const OPERAND_INDEX: Record<Operand, number> = Object.fromEntries(OPERANDS.map((operand, index) => [operand, index])) as Record<Operand, number>;

/**
 * Words accessed per layer, timestep, memory level, operand and direction, as the simulator
 * executes them. The caller gives the timesteps a transfer is charged to; its words are split
 * evenly over them.
 */
export class AccessLedger {
  private readonly words: Float64Array;
  private readonly levelCount: number;
  private readonly operandCount = OPERANDS.length;

  constructor(
    private readonly layerNames: string[],
    private readonly timesteps: number,
    private readonly hardware: ResolvedHardware,
  ) {
    this.levelCount = hardware.levels.length;
    this.words = new Float64Array(layerNames.length * timesteps * this.levelCount * this.operandCount * 2);
  }

  static operandIndex(operand: Operand): number {
    return OPERAND_INDEX[operand];
  }

  add(layerIndex: number, timeStart: number, timeCount: number, levelIndex: number, operandIndex: number, direction: PortDirection, words: number): void {
    if (words === 0) return;
    const share = words / timeCount;
    for (let timestep = timeStart; timestep < timeStart + timeCount; timestep++) {
      const at = (((layerIndex * this.timesteps + timestep) * this.levelCount + levelIndex) * this.operandCount + operandIndex) * 2 + direction;
      this.words[at] += share;
    }
  }

  /** Total words of one level, operand and direction over all layers and timesteps. */
  total(levelIndex: number, operand: Operand, direction: PortDirection): number {
    let sum = 0;
    for (let layer = 0; layer < this.layerNames.length; layer++) {
      for (let timestep = 0; timestep < this.timesteps; timestep++) {
        sum += this.words[(((layer * this.timesteps + timestep) * this.levelCount + levelIndex) * this.operandCount + OPERAND_INDEX[operand]) * 2 + direction];
      }
    }
    return sum;
  }

  /** Lists the nonzero entries as access records, with bits and energy from the level's word size and energy per word. */
  records(): AccessRecord[] {
    const records: AccessRecord[] = [];
    for (let layer = 0; layer < this.layerNames.length; layer++) {
      for (let timestep = 0; timestep < this.timesteps; timestep++) {
        for (const level of this.hardware.levels) {
          for (let operand = 0; operand < this.operandCount; operand++) {
            for (const direction of [PortDirection.Read, PortDirection.Write]) {
              const words = this.words[(((layer * this.timesteps + timestep) * this.levelCount + level.index) * this.operandCount + operand) * 2 + direction];
              if (words === 0) continue;
              const energyPerWord = direction === PortDirection.Read ? level.readEnergyPjPerWord : level.writeEnergyPjPerWord;
              records.push({
                layer: this.layerNames[layer],
                timestep,
                level: level.name,
                operand: OPERANDS[operand],
                direction: direction === PortDirection.Read ? 'read' : 'write',
                words,
                bits: words * level.wordBits,
                energyPj: words * energyPerWord,
              });
            }
          }
        }
      }
    }
    return records;
  }
}
