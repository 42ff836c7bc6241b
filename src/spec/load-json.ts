import * as fs from 'node:fs';
import * as path from 'node:path';
import { SpecError } from './errors';

/** Repository root, where models/ lives. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Resolves a spec argument: an existing file path, or the name of a file shipped under models/<kind>/.
 */
export function resolveSpecPath(nameOrPath: string, kind: 'networks' | 'hardware' | 'mappings'): string {
  if (fs.existsSync(nameOrPath)) {
    return path.resolve(nameOrPath);
  }
  const shipped = path.join(PROJECT_ROOT, 'models', kind, `${nameOrPath}.json`);
  if (fs.existsSync(shipped)) {
    return shipped;
  }
  const available = fs.existsSync(path.dirname(shipped))
    ? fs
        .readdirSync(path.dirname(shipped))
        .filter((file) => file.endsWith('.json'))
        .map((file) => file.replace(/\.json$/, ''))
    : [];
  throw new SpecError(
    nameOrPath,
    '',
    `file not found, and no shipped ${kind} spec has this name; give a path or one of: ${available.join(', ')}`,
  );
}

/** Reads and parses a JSON file, raising a SpecError that names the file and the position of a syntax error. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new SpecError(file, '', `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SpecError(file, '', `is not valid JSON: ${(error as Error).message}`);
  }
}
