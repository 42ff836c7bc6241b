import { Operand } from '../../spec/dims';
import { BufferTensorRole } from '../lowering/operand-tracker';

export type BufferTensorKind = 'weights' | 'output' | 'state' | 'network-input';

/** A whole tensor that the inter-layer schedule keeps in (or out of) the buffer between nodes. */
export interface BufferTensor {
  key: string;
  kind: BufferTensorKind;
  /** Index of the owning layer; -1 for the network input. */
  layerIndex: number;
  /** Eviction ties: first timestep of an output tile, the timestep of a network input, else 0; and the tile index. */
  timeKey: number;
  tile: number;
  bits: number;
  /** Ids of the nodes that read it, ascending, and the first of them that has not run yet. */
  readers: number[];
  nextReader: number;
  resident: boolean;
  /** true when the buffer copy is newer than DRAM's. */
  dirty: boolean;
  /** Start address in DRAM words, for DRAM row timing. */
  dramAddress: number;
}

/**
 * A transfer of a whole tensor between DRAM and the buffer. It is charged to the node that causes
 * it (its layer and timesteps), under the operand that node sees: a fetched producer output is an
 * input, a written-back tensor is an output or a state.
 */
export interface TensorTransfer {
  direction: 'fetch' | 'write-back';
  tensor: BufferTensor;
  operand: Operand;
}

/** Share of each role's buffer accesses in the loop nest that go to DRAM because its tensors are bypassed (0 to 1). */
export type BypassShares = Record<BufferTensorRole, number>;

export interface NodeResidency {
  prologue: TensorTransfer[];
  bypassShares: BypassShares;
}
