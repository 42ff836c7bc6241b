import { SpecError } from '../spec/errors';
import { ResolvedNetwork } from '../spec/network';

/**
 * Input spike rates: one rate for every layer and timestep, or rates per layer name (one for all timesteps, or one per
 * timestep). Layers left out are dense (rate 1).
 */
export type SparsityOption = number | Record<string, number | number[]>;

/** Label of the sparsity option in error messages. */
const SOURCE = 'sparsity option';

function checkRate(rate: unknown, at: string): number {
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new SpecError(SOURCE, at, `spike rate ${JSON.stringify(rate)} is invalid; give a number from 0 to 1`);
  }
  return rate;
}

/** Returns the spike rate of every layer and timestep at [layer.index * T + t]. */
export function resolveSpikeRates(option: SparsityOption | undefined, network: ResolvedNetwork): Float64Array {
  const timesteps = network.timesteps;
  const rates = new Float64Array(network.layers.length * timesteps).fill(1);
  if (option === undefined) return rates;
  if (typeof option === 'number') return rates.fill(checkRate(option, ''));

  for (const [name, value] of Object.entries(option)) {
    const layer = network.byName.get(name);
    if (!layer) throw new SpecError(SOURCE, `/${name}`, `unknown layer '${name}'; '${network.name}' has no layer of this name`);
    const base = layer.index * timesteps;
    if (typeof value === 'number') {
      rates.fill(checkRate(value, `/${name}`), base, base + timesteps);
      continue;
    }
    if (!Array.isArray(value) || value.length !== timesteps) {
      throw new SpecError(SOURCE, `/${name}`, `needs one rate per timestep (${timesteps}), got ${Array.isArray(value) ? value.length : typeof value}`);
    }
    value.forEach((rate, t) => (rates[base + t] = checkRate(rate, `/${name}/${t}`)));
  }
  return rates;
}
