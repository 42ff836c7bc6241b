import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedNetwork } from '../spec/network';
import type { NetworkWeights } from './weights';

export const MODEL_CARD_FILE = 'MODEL_CARD.md';

export interface ModelCardContext {
  network: ResolvedNetwork;
  weights: NetworkWeights;
  /** The command line that made the weights, for reproduction. */
  command: string;
  /** Markdown lines with the results (accuracy table, per-layer rates). */
  results: string[];
}

function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(4);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Writes MODEL_CARD.md beside model.json: what the weights are, how they were made and how well they do. */
export function writeModelCard(folder: string, context: ModelCardContext): string {
  const { network, weights } = context;
  const metadata = weights.metadata;
  const lines = [
    `# ${network.name}: ${metadata.origin} weights`,
    '',
    network.spec.description ?? '',
    '',
    '| field | value |',
    '|---|---|',
    `| origin | ${metadata.origin} |`,
    `| network spec SHA-256 | \`${metadata.networkSpecSha256}\` |`,
    `| weights.bin SHA-256 | \`${weights.sha256}\` |`,
    `| seed | ${metadata.seed} |`,
    `| backend | ${metadata.backend} |`,
    `| event bin width | ${metadata.binWidthUs} µs × ${network.timesteps} timesteps |`,
    `| created | ${metadata.createdAt} |`,
    ...Object.entries(metadata.details).map(([key, value]) => `| ${key} | ${formatValue(value)} |`),
    '',
    '## Command',
    '',
    '```',
    context.command,
    '```',
    '',
    '## Results',
    '',
    ...context.results,
    '',
    'Files: `model.json` (TensorFlow.js weights manifest and the metadata above) and `weights.bin` (float32 tensors).',
    '',
  ];
  const file = path.join(folder, MODEL_CARD_FILE);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}
