import seedrandom from 'seedrandom';
import { Candidate } from './candidate';
import { CandidateEvaluator, EvaluatedCandidate } from './evaluator';
import { searchLayerOptions } from './layer-search';
import {
  isolateBlock,
  mergeWithNext,
  mutate,
  prefixHybrid,
  randomCandidate,
  setGroupSettings,
  settingsNeighbours,
  splitGroup,
  uniformCandidate,
  withStateBlocks,
} from './moves';
import { compareBy, OBJECTIVE_NAMES, ObjectiveName, paretoFront } from './objectives';
import { BatchEvaluator } from './pool';
import { bestOf, SearchState } from './search-state';
import { buildSearchSpace, GroupSettings, SearchSpace, TimeBatchChoice } from './space';

export interface SearchOptions {
  /** The objective that the local search minimises; the front and the best point of every objective are kept too. */
  objective: ObjectiveName;
  /** Most evaluations (cache hits are free). */
  budget: number;
  /** Seed of the random sampling; the same seed gives the same points whatever the number of workers. */
  seed: string;
  /** Also search keepStateInLastBlocks from 0 to the number of blocks. */
  stateVariants: boolean;
  timeBatches: TimeBatchChoice;
  stemsAssumptions: boolean;
  /** Share of the budget left after the first phases that the local search of the main objective may use (default MAIN_LOCAL_SHARE). */
  localShare?: number;
  /** Called after every batch of evaluations, with the phase running. */
  onProgress?: (phase: string, state: SearchState) => void;
}

export interface SearchResult {
  points: EvaluatedCandidate[];
  front: EvaluatedCandidate[];
  best: Record<ObjectiveName, EvaluatedCandidate>;
  evaluations: number;
  rejected: { key: string; reason: string }[];
  space: SearchSpace;
}

/** Candidates evaluated together in random sampling; fixed, so that the result does not depend on the worker count. */
const RANDOM_BATCH = 16;

/** Shares of the budget left after the first phases for the coordinate descent of the main objective and of each other one. */
const MAIN_LOCAL_SHARE = 0.4;
const OTHER_LOCAL_SHARE = 0.1;

/** Share of fresh random candidates in random sampling; the others are mutations of Pareto points. */
const FRESH_RANDOM_SHARE = 0.25;

/** Batches in a row with only cached candidates after which random sampling stops: the space is then (nearly) exhausted. */
const MAX_FRUITLESS_BATCHES = 50;

/** Distinct fused tilings (among the best points) that seed the prefix hybrids. */
const HYBRID_SEED_TILINGS = 3;

/**
 * Searches the mappings of a network on a hardware (see docs/reproduction.md, "How the explorer searches"):
 * 1. every uniform schedule: one group over all blocks, for each tiling and time batch;
 * 2. prefix hybrids: the best fused settings on the first k blocks, layer by layer on the rest;
 * 3. with state variants, the best points so far under every keepStateInLastBlocks;
 * 4. the intra-layer options of the best point (layer-search.ts);
 * 5. coordinate descent from the best point of the main objective, then from the best point of each other objective.
 *    It moves each group's tiling and time batch, each block on its own, the group boundaries and the state variant,
 *    then sets the layer options of the point it ends at;
 * 6. seeded random sampling until the budget is spent: fresh candidates and mutations of Pareto points.
 * Every phase works in batches whose contents depend only on earlier results, so the outcome is deterministic.
 */
export async function searchMappings(evaluator: CandidateEvaluator, pool: BatchEvaluator, options: SearchOptions): Promise<SearchResult> {
  let phase = 'uniform schedules';
  const state = new SearchState(pool, options.budget, (current) => options.onProgress?.(phase, current));
  const objective = options.objective;
  const base = evaluator.variant(null);
  const network = base.network;
  const blockCount = network.blocks.length;
  const layerCount = base.computeLayers.length;
  const space = buildSearchSpace(network, { timeBatches: options.timeBatches, stemsAssumptions: options.stemsAssumptions });
  const stateChoices = stateVariantChoices(evaluator, options.stateVariants);

  await state.evaluate(space.settings.map((settings) => uniformCandidate(blockCount, layerCount, settings)));

  phase = 'prefix hybrids';
  await state.evaluate(prefixHybrids(state, objective, blockCount, layerCount, network.timesteps));

  if (stateChoices.length > 1) {
    phase = 'state variants';
    const seeds = uniqueCandidates(OBJECTIVE_NAMES.map((name) => state.best(name)!.candidate));
    await state.evaluate(stateChoices.flatMap((stateBlocks) => seeds.map((seed) => withStateBlocks(seed, stateBlocks))));
  }

  phase = 'layer options';
  const optionCounts = (stateBlocks: number | null) => evaluator.variant(stateBlocks).options.map((list) => list.length);
  const first = state.best(objective);
  if (first) await searchLayerOptions(state, first.candidate, optionCounts(first.candidate.stateBlocks), [objective, ...OBJECTIVE_NAMES]);

  // Coordinate descent for the main objective first, then for each other one from its own best point.
  const localStart = state.remaining;
  const order = [objective, ...OBJECTIVE_NAMES.filter((name) => name !== objective)];
  for (const [index, name] of order.entries()) {
    phase = `local search (${name})`;
    const share = index === 0 ? (options.localShare ?? MAIN_LOCAL_SHARE) : OTHER_LOCAL_SHARE;
    const limit = state.evaluations + Math.floor(localStart * share);
    let current = state.best(name);
    while (current && state.evaluations < limit) {
      const improved = await descendOnce(state, current, space, stateChoices, name, limit);
      if (!improved) break;
      current = improved;
    }
    if (current && name !== 'onchip') {
      await searchLayerOptions(state, current.candidate, optionCounts(current.candidate.stateBlocks), [name]);
    }
  }

  phase = 'random sampling';
  const random = seedrandom(options.seed);
  let fruitlessBatches = 0;
  while (state.remaining > 0 && fruitlessBatches < MAX_FRUITLESS_BATCHES) {
    const front = paretoFront(state.points);
    const layerOptions = state.best(objective)?.candidate.layerOptions ?? new Array<number>(layerCount).fill(0);
    const batch: Candidate[] = [];
    for (let index = 0; index < RANDOM_BATCH; index++) {
      if (random() < FRESH_RANDOM_SHARE || front.length === 0) {
        batch.push(randomCandidate(random, space, blockCount, layerOptions, stateChoices));
      } else {
        const parent = front[Math.floor(random() * front.length)].candidate;
        batch.push(mutate(random, parent, space, stateChoices));
      }
    }
    const before = state.evaluations;
    await state.evaluate(batch);
    fruitlessBatches = state.evaluations === before ? fruitlessBatches + 1 : 0;
  }

  const points = state.points;
  if (points.length === 0) {
    const reasons = state.rejected.slice(0, 3).map((entry) => entry.reason);
    throw new Error(`no valid mapping of '${network.name}' on '${evaluator.hardware.name}' was found; first rejections: ${reasons.join(' | ')}`);
  }
  const best = Object.fromEntries(OBJECTIVE_NAMES.map((name) => [name, state.best(name)!])) as Record<ObjectiveName, EvaluatedCandidate>;
  return { points, front: paretoFront(points), best, evaluations: state.evaluations, rejected: state.rejected, space };
}

/** Returns the values of keepStateInLastBlocks to search: null (the spec's own) and, with state variants, 0 to the number of blocks except the spec's own. */
function stateVariantChoices(evaluator: CandidateEvaluator, stateVariants: boolean): (number | null)[] {
  if (!stateVariants) return [null];
  const blockCount = evaluator.baseNetwork.blocks.length;
  const own = evaluator.networkSpec.options?.keepStateInLastBlocks ?? blockCount;
  const choices: (number | null)[] = [null];
  for (let blocks = 0; blocks <= blockCount; blocks++) {
    if (blocks !== own) choices.push(blocks);
  }
  return choices;
}

function uniqueCandidates(candidates: Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return candidates.filter((candidate) => {
    const key = JSON.stringify(candidate);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Builds hybrids of the STEMS kind: fused on the first k blocks and layer by layer on the rest, for every k. The fused
 * part takes the settings of the best fused uniform points: a few distinct tilings, each with its best time batch and
 * with all timesteps batched. The rest takes the best layer-by-layer uniform settings or time-batched layer by layer.
 */
function prefixHybrids(state: SearchState, objective: ObjectiveName, blockCount: number, layerCount: number, timesteps: number): Candidate[] {
  const uniform = state.points.filter((point) => point.candidate.groups.length === 1);
  const ranked = uniform.slice().sort((a, b) => compareBy(objective, a.objectives, b.objectives));
  const fused = ranked.filter((point) => point.candidate.groups[0].settings.schedule === 'fused');
  const layerByLayer = ranked.filter((point) => point.candidate.groups[0].settings.schedule === 'layer-by-layer');

  const firstSettings: GroupSettings[] = [];
  const tilingKeys = new Set<string>();
  for (const point of fused) {
    const settings = point.candidate.groups[0].settings;
    const key = `${settings.tileAxis}${settings.tileSize}`;
    if (tilingKeys.has(key)) continue;
    tilingKeys.add(key);
    firstSettings.push(settings, { ...settings, timeBatch: timesteps });
    if (tilingKeys.size >= HYBRID_SEED_TILINGS) break;
  }
  const restSettings: GroupSettings[] = [{ schedule: 'layer-by-layer', timeBatch: timesteps }];
  if (layerByLayer.length > 0) restSettings.unshift(layerByLayer[0].candidate.groups[0].settings);

  const candidates: Candidate[] = [];
  for (let prefix = 1; prefix < blockCount; prefix++) {
    for (const first of firstSettings) {
      for (const rest of restSettings) candidates.push(prefixHybrid(blockCount, layerCount, prefix, first, rest));
    }
  }
  return uniqueCandidates(candidates);
}

/**
 * Runs one pass of coordinate descent: tries the neighbours along each coordinate in turn and moves to the best one
 * when it beats the current point. Returns the new point when any move improved it, or null at a local minimum.
 */
async function descendOnce(
  state: SearchState,
  start: EvaluatedCandidate,
  space: SearchSpace,
  stateChoices: (number | null)[],
  objective: ObjectiveName,
  localBudget: number,
): Promise<EvaluatedCandidate | null> {
  let current = start;
  let improved = false;
  const tryMoves = async (candidates: Candidate[]) => {
    if (state.evaluations >= localBudget || candidates.length === 0) return;
    const winner = bestOf(await state.evaluate(candidates), objective);
    if (winner && compareBy(objective, winner.objectives, current.objectives) < 0) {
      current = winner;
      improved = true;
    }
  };

  // Whole groups: their tiling, then their time batch. The group list may change after each move, so it is re-read.
  for (let group = 0; group < current.candidate.groups.length; group++) {
    const neighbours = settingsNeighbours(current.candidate.groups[group].settings, space);
    await tryMoves(neighbours.tilings.map((settings) => setGroupSettings(current.candidate, group, settings)));
    if (group >= current.candidate.groups.length) break;
    const timeNeighbours = settingsNeighbours(current.candidate.groups[group].settings, space).timeBatches;
    await tryMoves(timeNeighbours.map((settings) => setGroupSettings(current.candidate, group, settings)));
  }

  // Single blocks in a group of their own.
  const blockCount = current.candidate.groups.reduce((sum, group) => sum + group.blockCount, 0);
  for (let block = 0; block < blockCount; block++) {
    const settings = blockSettingsAt(current.candidate, block);
    const neighbours = settingsNeighbours(settings, space);
    await tryMoves(neighbours.tilings.map((candidate) => isolateBlock(current.candidate, block, candidate)));
    const timeNeighbours = settingsNeighbours(blockSettingsAt(current.candidate, block), space).timeBatches;
    await tryMoves(timeNeighbours.map((candidate) => isolateBlock(current.candidate, block, candidate)));
  }

  // Group boundaries: merge neighbours (under either one's settings) or split a group at any block.
  const structural: Candidate[] = [];
  current.candidate.groups.forEach((group, index) => {
    if (index + 1 < current.candidate.groups.length) {
      structural.push(mergeWithNext(current.candidate, index, 'left'), mergeWithNext(current.candidate, index, 'right'));
    }
    for (let blocks = 1; blocks < group.blockCount; blocks++) structural.push(splitGroup(current.candidate, index, blocks));
  });
  await tryMoves(structural);

  if (stateChoices.length > 1) await tryMoves(stateChoices.map((stateBlocks) => withStateBlocks(current.candidate, stateBlocks)));
  return improved ? current : null;
}

function blockSettingsAt(candidate: Candidate, block: number): GroupSettings {
  let first = 0;
  for (const group of candidate.groups) {
    if (block < first + group.blockCount) return group.settings;
    first += group.blockCount;
  }
  throw new Error(`internal error: block ${block} is beyond the candidate's ${first} blocks`);
}
