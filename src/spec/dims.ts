/** The loop dimensions of a layer, in the order the field writes them. */
export const LOOP_DIMS = ['T', 'B', 'K', 'C', 'OY', 'OX', 'FY', 'FX'] as const;
export type LoopDim = (typeof LOOP_DIMS)[number];

/** Loop bounds of one layer: timesteps, batch, output channels, input channels, output rows and columns, filter rows and columns. */
export type LoopBounds = Record<LoopDim, number>;

/** The operands whose accesses the cost model and the simulator count. */
export const OPERANDS = ['weight', 'input', 'output', 'partial_sum', 'state'] as const;
export type Operand = (typeof OPERANDS)[number];

/** The dimensions that index each operand; the others are irrelevant to it (a loop over them reuses its tile). */
export const OPERAND_DIMS: Record<Operand, readonly LoopDim[]> = {
  weight: ['K', 'C', 'FY', 'FX'],
  input: ['T', 'B', 'C', 'OY', 'OX', 'FY', 'FX'],
  output: ['T', 'B', 'K', 'OY', 'OX'],
  partial_sum: ['T', 'B', 'K', 'OY', 'OX'],
  // Neuron state has the shape of the output without T: one membrane potential per neuron, carried across timesteps.
  state: ['B', 'K', 'OY', 'OX'],
};

/** The reduction dimensions: a stateful layer must finish them for timestep t before it starts t+1. */
export const REDUCTION_DIMS: readonly LoopDim[] = ['C', 'FY', 'FX'];

export function isLoopDim(value: string): value is LoopDim {
  return (LOOP_DIMS as readonly string[]).includes(value);
}

export function isOperand(value: string): value is Operand {
  return (OPERANDS as readonly string[]).includes(value);
}
