import { EventFileError } from '../errors';
import type { FileSource } from '../fileSource';
import { parseKeyValueLines, readHeaderLines } from '../headerText';
import { sensorSizeForChip } from '../sensors';
import type { SensorSize } from '../types';

export interface PropheseeRawHeader {
  header: Record<string, string>;
  bodyStart: number;
  sensorSize: SensorSize | null;
  chip?: string;
}

/**
 * Parses the `% key value` header of a Prophesee RAW file and checks that it declares `encoding`.
 *
 * Older files have lines such as `% evt 3.0` and no end marker, so the
 * header ends at the first line that is not `%` text. Newer files add
 * `% format EVT3;height=720;width=1280`, `% geometry 1280x720` and end with `% end`.
 * The sensor size comes from the format or geometry line, else from the plugin or sensor name.
 */
export function readPropheseeRawHeader(source: FileSource, encoding: 'EVT2' | 'EVT3'): PropheseeRawHeader {
  const lines = readHeaderLines(source, '%', '% end');
  const header = parseKeyValueLines(lines.lines, '%');
  const formatParts = (header['format'] ?? '').split(';').map((part) => part.trim());
  const formatName = formatParts[0]?.toUpperCase() ?? '';
  const evtVersion = header['evt'];
  let declared = formatName;
  if (declared === '' && evtVersion !== undefined) declared = `EVT${evtVersion.replace(/\.0$/, '')}`;
  if (declared !== encoding) {
    throw new EventFileError(
      source.path,
      0,
      `the RAW header declares encoding ${JSON.stringify(declared || '(none)')}, expected ${encoding}; ` +
        `check the file or pass the format that its "% evt" or "% format" line names`,
    );
  }

  const options: Record<string, string> = {};
  for (const part of formatParts.slice(1)) {
    const eq = part.indexOf('=');
    if (eq > 0) options[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  let sensorSize: SensorSize | null = null;
  const width = Number.parseInt(options['width'] ?? '', 10);
  const height = Number.parseInt(options['height'] ?? '', 10);
  const geometry = /^(\d+)\s*x\s*(\d+)$/.exec(header['geometry'] ?? '');
  if (width > 0 && height > 0) {
    sensorSize = { width, height, source: 'header' };
  } else if (geometry) {
    sensorSize = { width: Number(geometry[1]), height: Number(geometry[2]), source: 'header' };
  }

  const chip = header['plugin_name'] ?? header['sensor_generation'] ?? header['camera_integrator_name'];
  if (sensorSize === null) {
    const chipSize = sensorSizeForChip(chip);
    if (chipSize) sensorSize = { ...chipSize, source: 'chip' };
  }

  const result: PropheseeRawHeader = { header, bodyStart: lines.endOffset, sensorSize };
  if (chip !== undefined) result.chip = chip;
  return result;
}
