import { Candidate } from './candidate';
import { EvaluatedCandidate, LayerObjectives } from './evaluator';
import { withLayerOptions } from './moves';
import { OBJECTIVE_FIELDS, ObjectiveName } from './objectives';
import { SearchState } from './search-state';

/**
 * Chooses the intra-layer option of every layer for one schedule. Under a fixed schedule the cost model is separable
 * by layer: the buffer's contents between nodes depend on tensor sizes only, and each node's loop-nest figures on its
 * own layer's mapping. So one probe per option index (every layer at its option j, or the default where it has fewer)
 * measures every layer at every option, and the best option of each layer can be chosen on its own. The combination is
 * then evaluated as a whole, so a broken assumption shows up as a worse point, not as a wrong figure.
 *
 * Returns the combined candidates, one per objective in `objectives` (on-chip bits do not depend on the layer
 * mappings, so 'onchip' is skipped), or an empty list when the budget ran out.
 */
export async function searchLayerOptions(
  state: SearchState,
  seed: Candidate,
  optionCounts: number[],
  objectives: readonly ObjectiveName[],
): Promise<EvaluatedCandidate[]> {
  const maxOptions = Math.max(...optionCounts);
  const probes: Candidate[] = [];
  for (let option = 0; option < maxOptions; option++) {
    probes.push(withLayerOptions(seed, optionCounts.map((count) => (option < count ? option : 0))));
  }
  const results = await state.evaluate(probes, true);

  // measured[layer][option]: the layer's figures at that option, from the probe where it ran at that option.
  const measured: (LayerObjectives | undefined)[][] = optionCounts.map((count) => new Array(count));
  for (const result of results) {
    if (!result || !result.valid || !result.layers) continue;
    result.candidate.layerOptions.forEach((option, layer) => {
      measured[layer][option] ??= result.layers![layer];
    });
  }

  const combined: Candidate[] = [];
  for (const objective of objectives) {
    if (objective === 'onchip') continue;
    const field = OBJECTIVE_FIELDS[objective] as keyof LayerObjectives;
    const choice = measured.map((options) => {
      let best = 0;
      options.forEach((figures, option) => {
        if (figures && options[best] && figures[field] < options[best]![field]) best = option;
      });
      return best;
    });
    combined.push(withLayerOptions(seed, choice));
  }
  const evaluated = await state.evaluate(combined);
  return evaluated.filter((result): result is EvaluatedCandidate => result !== null && result.valid);
}
