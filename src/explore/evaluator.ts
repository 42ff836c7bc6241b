import { estimateSchedule } from '../estimate';
import { buildSchedule, resolveMapping, ResolvedMapping } from '../mapping';
import { CostResult } from '../metrics/types';
import { SpecError } from '../spec/errors';
import { ResolvedHardware } from '../spec/hardware';
import { loadHardware, loadNetworkSpec } from '../spec/load';
import { LayerMappingSpec, MappingSpec } from '../spec/mapping-schema';
import { resolveNetwork, ResolvedNetwork } from '../spec/network';
import { NetworkSpec } from '../spec/network-schema';
import { Candidate, candidateKey, describeCandidate } from './candidate';
import { layerOptions } from './layer-options';
import { requiredBufferBits } from './on-chip';
import { Objectives } from './objectives';

/** Spec sources of a search: files (or shipped names), which every worker loads again itself. */
export interface ExploreSources {
  network: string;
  hardware: string;
  stemsAssumptions: boolean;
}

/** Figures of one layer of an evaluated candidate, for choosing each layer's intra-layer option on its own. */
export type LayerObjectives = Omit<Objectives, 'onChipBits'>;

export interface EvaluatedCandidate {
  valid: true;
  key: string;
  /** The candidate as evaluated: layer options that resolveMapping rejected under this schedule are reset to 0. */
  candidate: Candidate;
  objectives: Objectives;
  nodes: number;
  /** Per layer with a loop nest, in network order; only when the evaluation asked for layer detail. */
  layers?: LayerObjectives[];
}

export interface RejectedCandidate {
  valid: false;
  key: string;
  candidate: Candidate;
  reason: string;
}

export type Evaluation = EvaluatedCandidate | RejectedCandidate;

interface NetworkVariant {
  network: ResolvedNetwork;
  /** Layers with a loop nest, in network order: the positions of Candidate.layerOptions. */
  computeLayers: string[];
  options: LayerMappingSpec[][];
}

const LAYER_POINTER = /^\/layers\/([^/]+)/;

function unescapePointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Turns candidates into mapping specs and evaluates them with the analytical model. Each worker has its own. */
export class CandidateEvaluator {
  readonly hardware: ResolvedHardware;
  readonly networkSpec: NetworkSpec;
  readonly networkFile: string;
  private readonly variants = new Map<string, NetworkVariant>();

  constructor(readonly sources: ExploreSources) {
    const loaded = loadNetworkSpec(sources.network);
    this.networkSpec = loaded.spec;
    this.networkFile = loaded.file;
    this.hardware = loadHardware(sources.hardware);
  }

  /** Returns the network with `keepStateInLastBlocks` set to `stateBlocks` (the spec's own setting when null) and its layer options. */
  variant(stateBlocks: number | null): NetworkVariant {
    const cacheKey = String(stateBlocks);
    let variant = this.variants.get(cacheKey);
    if (!variant) {
      const spec = stateBlocks === null ? this.networkSpec : { ...this.networkSpec, options: { ...this.networkSpec.options, keepStateInLastBlocks: stateBlocks } };
      const network = resolveNetwork(spec, this.networkFile);
      const computeLayers = network.layers.filter((layer) => !layer.isView);
      variant = {
        network,
        computeLayers: computeLayers.map((layer) => layer.name),
        options: computeLayers.map((layer) => layerOptions(layer, this.hardware)),
      };
      this.variants.set(cacheKey, variant);
    }
    return variant;
  }

  get baseNetwork(): ResolvedNetwork {
    return this.variant(null).network;
  }

  /** Builds the mapping spec of a candidate; layers at option 0 are left out, so they get the default layer mapping. */
  mappingSpec(candidate: Candidate, name = 'explored'): MappingSpec {
    const variant = this.variant(candidate.stateBlocks);
    const network = variant.network;
    const groups: NonNullable<MappingSpec['groups']> = [];
    let first = 0;
    for (const group of candidate.groups) {
      const blocks = network.blocks.slice(first, first + group.blockCount);
      first += group.blockCount;
      const settings = group.settings;
      groups.push(
        settings.schedule === 'fused'
          ? { blocks, schedule: 'fused', tileAxis: settings.tileAxis, tileSize: settings.tileSize, timeBatch: settings.timeBatch }
          : { blocks, schedule: 'layer-by-layer', timeBatch: settings.timeBatch },
      );
    }
    const layers: Record<string, LayerMappingSpec> = {};
    candidate.layerOptions.forEach((option, index) => {
      if (option !== 0) layers[variant.computeLayers[index]] = variant.options[index][option];
    });
    const spec: MappingSpec = {
      name,
      description: `Explored on ${this.hardware.name}${this.sources.stemsAssumptions ? " under the STEMS authors' assumptions (use --stems-assumptions)" : ''}: ${describeCandidate(candidate, network.blocks, network.timesteps)}.`,
      network: network.name,
      groups,
    };
    if (Object.keys(layers).length > 0) spec.layers = layers;
    return spec;
  }

  /**
   * Resolves a candidate's mapping. A layer option that resolveMapping rejects (capacity or causality under this
   * schedule) is reset to the default for that layer, and the mapping is resolved again. An error in the schedule or
   * in a default layer mapping rejects the candidate.
   */
  resolve(candidate: Candidate): { candidate: Candidate; mapping: ResolvedMapping } | { candidate: Candidate; reason: string } {
    const variant = this.variant(candidate.stateBlocks);
    // An index beyond a layer's options (copied from another state variant, whose lists differ) means the default.
    const layerOptions = candidate.layerOptions.map((option, index) => (option < variant.options[index].length ? option : 0));
    let current: Candidate = { ...candidate, layerOptions };
    for (;;) {
      try {
        const spec = this.mappingSpec(current);
        const mapping = resolveMapping(spec, variant.network, this.hardware, spec.name, { stemsAssumptions: this.sources.stemsAssumptions });
        return { candidate: current, mapping };
      } catch (error) {
        if (!(error instanceof SpecError)) throw error;
        const match = LAYER_POINTER.exec(error.fieldPath);
        const position = match ? variant.computeLayers.indexOf(unescapePointer(match[1])) : -1;
        if (position < 0 || current.layerOptions[position] === 0) return { candidate: current, reason: error.message };
        current = { ...current, layerOptions: current.layerOptions.slice() };
        current.layerOptions[position] = 0;
      }
    }
  }

  /** Evaluates a candidate; `layerDetail` also returns the figures of each layer, which costs a full estimate. */
  evaluate(candidate: Candidate, layerDetail = false): Evaluation {
    const resolved = this.resolve(candidate);
    const key = candidateKey(resolved.candidate);
    if (!('mapping' in resolved)) return { valid: false, key, candidate: resolved.candidate, reason: resolved.reason };

    const nodes = buildSchedule(resolved.mapping.network, resolved.mapping);
    const cost = estimateSchedule(resolved.mapping, nodes, { detail: layerDetail ? 'full' : 'totals' });
    const objectives: Objectives = {
      offChipBits: cost.totals.offChipBits,
      energyPj: cost.totals.energyPj,
      cycles: cost.totals.cycles,
      onChipBits: requiredBufferBits(resolved.mapping, nodes),
    };
    const evaluation: EvaluatedCandidate = { valid: true, key, candidate: resolved.candidate, objectives, nodes: nodes.length };
    if (layerDetail) evaluation.layers = layerFigures(cost, this.variant(candidate.stateBlocks).computeLayers, this.hardware);
    return evaluation;
  }
}

/** Sums a full estimate per layer: off-chip bits, energy (memory and compute) and cycles. */
function layerFigures(cost: CostResult, computeLayers: string[], hardware: ResolvedHardware): LayerObjectives[] {
  const position = new Map(computeLayers.map((name, index) => [name, index]));
  const figures = computeLayers.map(() => ({ offChipBits: 0, energyPj: 0, cycles: 0 }));
  const dram = hardware.dram.name;
  for (const record of cost.accesses) {
    const entry = figures[position.get(record.layer)!];
    entry.energyPj += record.energyPj;
    if (record.level === dram) entry.offChipBits += record.bits;
  }
  for (const record of cost.layers) {
    const entry = figures[position.get(record.layer)!];
    entry.energyPj += record.computeEnergyPj;
    entry.cycles += record.cycles;
  }
  return figures;
}
