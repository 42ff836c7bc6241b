import { ResolvedHardware } from '../spec/hardware';
import { LoopBounds, LoopDim } from '../spec/dims';
import { MappingSpec } from '../spec/mapping-schema';
import { ResolvedLayer, ResolvedNetwork } from '../spec/network';

/** One temporal loop of a layer mapping: a dimension, its factor and the memory level whose tiles it iterates. */
export interface MappedLoop {
  dim: LoopDim;
  /** Position of `dim` in LOOP_DIMS (T 0, B 1, K 2, C 3, OY 4, OX 5, FY 6, FX 7). */
  dimIndex: number;
  factor: number;
  /** Index of the memory level in `ResolvedHardware.levels` (never 0: loops at DRAM are invalid). */
  level: number;
}

/** The temporal loops of one memory level, outermost first, as the layer mapping lists them. */
export interface LevelLoops {
  level: number;
  loops: { dim: LoopDim; factor: number }[];
  /** JSON pointer of the level's entry in the mapping spec, or '' when the loops came from the default mapping. */
  specPath: string;
}

/** The intra-layer mapping of one layer, checked against the network and the hardware. */
export interface ResolvedLayerMapping {
  layer: ResolvedLayer;
  /** Spatial factor of each dimension (1 where the array does not unroll it). */
  spatial: LoopBounds;
  /** Temporal loops per on-chip level, outermost level first. */
  temporal: LevelLoops[];
  /** Index of the buffer, the level that receives the loops the mapping leaves out (rule 2). */
  bufferLevel: number;
  /** Level where the neuron state lives between nodes: the buffer, or DRAM (the state then always bypasses the buffer). */
  stateLevel: number;
  /** JSON pointer of the layer's mapping in the spec, or '' when the default mapping supplied it. */
  specPath: string;
}

export type Schedule = 'layer-by-layer' | 'fused';
export type TileAxis = 'OX' | 'OY';

/** A run of consecutive layers scheduled together. */
export interface ResolvedGroup {
  index: number;
  /** Layers with a loop nest (flatten views are left out), in network order. */
  layers: ResolvedLayer[];
  schedule: Schedule;
  tileAxis: TileAxis;
  /** Output columns (or rows) per fused tile; null for a layer-by-layer group. */
  tileSize: number | null;
  /** Timesteps per node: 1 is sequential time, T is fully time-batched. */
  timeBatch: number;
  /** JSON pointer of the group in the spec, or '/defaultGroup' for a group formed from layers no group names. */
  specPath: string;
}

/** A mapping spec checked against one network and one hardware. */
export interface ResolvedMapping {
  name: string;
  file: string;
  spec: MappingSpec;
  network: ResolvedNetwork;
  hardware: ResolvedHardware;
  /** Layer mappings of every layer with a loop nest, by layer name. */
  layers: Map<string, ResolvedLayerMapping>;
  groups: ResolvedGroup[];
  /** Group index of every layer with a loop nest, by layer name. */
  groupOf: Map<string, number>;
  /** The STEMS authors' assumptions: one-column fusion tiles, no padding, state starts in and returns to DRAM. */
  stemsAssumptions: boolean;
}

/** The loop nest of one node, after rules 1 and 2 of docs/cost-model.md ("Inside a node"). */
export interface LoopNest {
  /** Extent of each dimension in the node. */
  extents: LoopBounds;
  /** Spatial factor of each dimension, reduced to what the node's extent allows (1 where not unrolled). */
  spatial: LoopBounds;
  /** Temporal loops, outermost first; loops whose factor became 1 are left out. */
  loops: MappedLoop[];
}

/** One node of the inter-layer schedule: a layer restricted to a time chunk and, in a fused group, to a tile. */
export interface ScheduleNode {
  /** Position in execution order. */
  id: number;
  layer: ResolvedLayer;
  group: number;
  /** Index of the time chunk within the group, and the timesteps it covers: [timeStart, timeEnd). */
  chunk: number;
  timeStart: number;
  timeEnd: number;
  /** Index of the tile within the layer, and the output columns (tileAxis OX) or rows (OY) it covers: [tileStart, tileEnd). */
  tile: number;
  tileAxis: TileAxis;
  tileStart: number;
  tileEnd: number;
  /** Number of tiles of the layer (1 for a layer-by-layer group). */
  tileCount: number;
  /** Loop bounds of the node. */
  extents: LoopBounds;
  /** Ids of the nodes whose outputs overlap this node's receptive field in its timesteps, ascending. */
  producers: number[];
  /** Ids of the nodes that list this node among their producers, ascending. */
  consumers: number[];
  /** Timesteps of the network input this node reads (empty unless the layer reads 'input'). */
  networkInputTimesteps: number[];
  /** Id of the same layer and tile in the previous time chunk when the layer is stateful, else -1. */
  previousChunk: number;
}
