/** Compute, cycles and stalls per layer and timestep, accumulated as the simulator runs. */
export class LayerStats {
  readonly operations: Float64Array;
  readonly denseOperations: Float64Array;
  readonly computeEnergyPj: Float64Array;
  readonly cycles: Float64Array;
  readonly busyCycles: Float64Array;
  readonly neuronUpdates: Float64Array;
  readonly inputSpikes: Float64Array;
  readonly inputElements: Float64Array;
  readonly stalls: Map<string, number>[];

  constructor(
    readonly layerCount: number,
    readonly timesteps: number,
  ) {
    const size = layerCount * timesteps;
    this.operations = new Float64Array(size);
    this.denseOperations = new Float64Array(size);
    this.computeEnergyPj = new Float64Array(size);
    this.cycles = new Float64Array(size);
    this.busyCycles = new Float64Array(size);
    this.neuronUpdates = new Float64Array(size);
    this.inputSpikes = new Float64Array(size);
    this.inputElements = new Float64Array(size);
    this.stalls = Array.from({ length: size }, () => new Map<string, number>());
  }

  index(layerIndex: number, timestep: number): number {
    return layerIndex * this.timesteps + timestep;
  }

  /** Adds `cycles` evenly over timesteps [timeStart, timeStart + timeCount), and as a stall of `cause` when one is given. */
  addCycles(layerIndex: number, timeStart: number, timeCount: number, cycles: number, stallCause: string | null): void {
    if (cycles <= 0) return;
    const share = cycles / timeCount;
    for (let timestep = timeStart; timestep < timeStart + timeCount; timestep++) {
      const at = layerIndex * this.timesteps + timestep;
      this.cycles[at] += share;
      if (stallCause !== null) {
        const stalls = this.stalls[at];
        stalls.set(stallCause, (stalls.get(stallCause) ?? 0) + share);
      }
    }
  }
}
