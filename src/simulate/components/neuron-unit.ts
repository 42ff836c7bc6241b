import { ResolvedHardware } from '../../spec/hardware';
import { ResolvedNeuron } from '../../spec/network';

/** The stages a neuron update passes through, in order; the unit is pipelined over them. */
export const NEURON_UPDATE_STAGES = ['state read', 'leak', 'integrate', 'threshold', 'reset', 'state write'] as const;

export interface NeuronStepResult {
  /** Membrane potential after the timestep. */
  potential: number;
  spike: boolean;
}

/**
 * Updates one neuron for one timestep: v = decay * v + input, a spike when v reaches the
 * threshold, then reset by subtraction or to the reset value. A neuron that is not stateful
 * starts every timestep from its initial state.
 */
export function stepNeuron(neuron: ResolvedNeuron, potential: number, input: number): NeuronStepResult {
  const previous = neuron.stateful ? potential : neuron.initialState;
  const leaked = neuron.decay * previous;
  const integrated = leaked + input;
  const spike = integrated >= neuron.threshold;
  if (!spike) return { potential: integrated, spike };
  const reset = neuron.reset === 'subtract' ? integrated - neuron.threshold : neuron.resetValue;
  return { potential: reset, spike };
}

/**
 * The neuron-update unit: after the reduction of a timestep ends for a tile of outputs, it
 * updates those neurons, `lanes` per cycle, through the pipeline of NEURON_UPDATE_STAGES. It has
 * one lane per PE along the array axes that unroll output dimensions (B, K, OY, OX), because each
 * of those PEs ends with its own accumulator.
 */
export class NeuronUnit {
  readonly lanes: number;
  readonly energyPerUpdatePj: number;
  busyUntilCycles = 0;
  busyCycles = 0;
  updates = 0;
  energyPj = 0;

  constructor(hardware: ResolvedHardware) {
    let lanes = 1;
    for (const dim of ['B', 'K', 'OY', 'OX'] as const) lanes *= hardware.arrayDims[dim] ?? 1;
    this.lanes = lanes;
    this.energyPerUpdatePj = hardware.spec.peArray.neuronUpdateEnergyPj ?? 0;
  }

  /** Updates `neurons` neurons from `requestCycles`; returns the cycle at which the last result leaves the pipeline. */
  update(requestCycles: number, neurons: number): number {
    const start = requestCycles > this.busyUntilCycles ? requestCycles : this.busyUntilCycles;
    const issueCycles = Math.ceil(neurons / this.lanes);
    this.busyUntilCycles = start + issueCycles;
    this.busyCycles += issueCycles;
    this.updates += neurons;
    this.energyPj += neurons * this.energyPerUpdatePj;
    return start + issueCycles + NEURON_UPDATE_STAGES.length - 1;
  }
}
