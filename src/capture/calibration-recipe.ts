import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedNetwork } from '../spec/network';
import { calibrateNetwork } from './calibrate';
import { CaptureError } from './errors';
import { loadWeights, MODEL_JSON_FILE, type NetworkWeights } from './weights';

/**
 * A weights folder may contain this file instead of model.json and weights.bin, for networks whose
 * weights are too large to store: capture then calibrates the network on its own recordings.
 */
export const CALIBRATION_RECIPE_FILE = 'calibration.json';

/** Settings of an on-demand calibration, as stored in calibration.json. */
export interface CalibrationRecipe {
  network: string;
  seed: number;
  targetRate: number;
  /** Recordings (the first ones of the capture) used for calibration at most. */
  maxSamples: number;
  /** Event bin width in microseconds; default the first recording's span divided by T. */
  binWidthUs?: number;
}

function readRecipe(file: string, network: ResolvedNetwork): CalibrationRecipe {
  let recipe: CalibrationRecipe;
  try {
    recipe = JSON.parse(fs.readFileSync(file, 'utf8')) as CalibrationRecipe;
  } catch (error) {
    throw new CaptureError(file, `is not valid JSON: ${(error as Error).message}`);
  }
  if (recipe.network !== network.name) {
    throw new CaptureError(file, `is a recipe for network '${recipe.network}', not '${network.name}'; pass the matching --weights folder`);
  }
  for (const field of ['seed', 'targetRate', 'maxSamples'] as const) {
    if (typeof recipe[field] !== 'number') throw new CaptureError(file, `field '${field}' is missing or not a number`);
  }
  return recipe;
}

/**
 * Loads the weights of a folder: model.json and weights.bin when present, else the weights that
 * calibration.json describes, calibrated on `eventFiles` (the recordings being captured).
 * `networkSpec` is the name or path the network was loaded from.
 */
export async function loadOrCalibrateWeights(
  folder: string,
  networkSpec: string,
  network: ResolvedNetwork,
  eventFiles: string[],
  backend: string,
): Promise<NetworkWeights> {
  const recipeFile = path.join(folder, CALIBRATION_RECIPE_FILE);
  if (fs.existsSync(path.join(folder, MODEL_JSON_FILE)) || !fs.existsSync(recipeFile)) return loadWeights(folder, network);

  const recipe = readRecipe(recipeFile, network);
  const result = await calibrateNetwork({
    network: networkSpec,
    eventFiles,
    seed: recipe.seed,
    targetRate: recipe.targetRate,
    maxSamples: recipe.maxSamples,
    binWidthUs: recipe.binWidthUs,
    backend,
  });
  return { ...result.weights, source: `calibrated on demand by ${recipeFile}` };
}
