import * as fs from 'node:fs';
import * as path from 'node:path';
import { CaptureError } from './errors';

/** Files in a recordings folder that are not recordings. */
const NON_RECORDING_EXTENSIONS = ['.csv', '.md', '.json', '.sha256'];
/** Name of the class-label table that data sets such as N-MNIST ship beside their recordings. */
export const LABELS_FILE = 'labels.csv';

/**
 * Expands files and folders into a list of event files. A folder contributes its recordings
 * (not its subfolders) in natural order (2.bs2 before 10.bs2); files are taken as given.
 */
export function listEventFiles(paths: string[]): string[] {
  const files: string[] = [];
  for (const given of paths) {
    if (!fs.existsSync(given)) throw new CaptureError(given, 'event file or folder not found');
    if (!fs.statSync(given).isDirectory()) {
      files.push(given);
      continue;
    }
    // statSync follows symbolic links, so a folder of links to recordings works too.
    const entries = fs
      .readdirSync(given)
      .filter((name) => !name.startsWith('.') && fs.statSync(path.join(given, name)).isFile())
      .filter((name) => !NON_RECORDING_EXTENSIONS.includes(path.extname(name).toLowerCase()))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    if (entries.length === 0) throw new CaptureError(given, 'folder contains no event files');
    files.push(...entries.map((name) => path.join(given, name)));
  }
  return files;
}

/** A labels.csv table: paths relative to its folder, with '/' separators, to class labels. */
interface LabelTable {
  folder: string;
  labels: Map<string, number>;
}

const labelTables = new Map<string, LabelTable | null>();

function readLabelTable(file: string): LabelTable {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((line) => line.trim() !== '');
  const labels = new Map<string, number>();
  const [head, ...rows] = lines;
  if (head.trim() !== 'file,label') {
    throw new CaptureError(file, `first line is '${head.trim()}'; a labels table starts with the header 'file,label'`);
  }
  rows.forEach((row, index) => {
    const [name, value] = row.split(',');
    const label = Number(value);
    if (name === undefined || !Number.isInteger(label)) {
      throw new CaptureError(file, `line ${index + 2} ('${row}') is not 'relative/path,integer label'`);
    }
    labels.set(name.trim(), label);
  });
  return { folder: path.dirname(file), labels };
}

function labelTableIn(folder: string): LabelTable | null {
  if (!labelTables.has(folder)) {
    const file = path.join(folder, LABELS_FILE);
    labelTables.set(folder, fs.existsSync(file) ? readLabelTable(file) : null);
  }
  return labelTables.get(folder)!;
}

/**
 * Looks up the class label of an event file in a labels.csv (columns file,label) in the file's
 * folder or the folder above it. Returns undefined when there is no table or no row for the file.
 */
export function findLabel(eventFile: string): number | undefined {
  const folder = path.dirname(path.resolve(eventFile));
  for (const candidate of [folder, path.dirname(folder)]) {
    const table = labelTableIn(candidate);
    if (!table) continue;
    const key = path.relative(table.folder, path.resolve(eventFile)).split(path.sep).join('/');
    const label = table.labels.get(key);
    if (label !== undefined) return label;
  }
  return undefined;
}

/** Returns the sample id of a recording: its file name without the extension. */
export function sampleIdOf(eventFile: string): string {
  const name = path.basename(eventFile);
  const extension = path.extname(name);
  return extension ? name.slice(0, -extension.length) : name;
}
