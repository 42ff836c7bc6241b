import { SpecError } from '../spec/errors';
import { GroupScheduleSpec, MappingSpec } from '../spec/mapping-schema';
import { ResolvedLayer, ResolvedNetwork } from '../spec/network';
import { ResolvedGroup } from './types';

type GroupSettings = Omit<GroupScheduleSpec, 'layers' | 'blocks'>;

/** Schedule of layers that no group names when the mapping has no defaultGroup: layer by layer, sequential time. */
export const FALLBACK_GROUP: GroupSettings = { schedule: 'layer-by-layer', timeBatch: 1 };

/** Checks the settings shared by groups and the default group, and fills tileAxis and tileSize. */
function resolveSettings(
  settings: GroupSettings,
  network: ResolvedNetwork,
  file: string,
  at: string,
  stemsAssumptions: boolean,
): Pick<ResolvedGroup, 'schedule' | 'tileAxis' | 'tileSize' | 'timeBatch'> {
  if (settings.timeBatch > network.timesteps) {
    throw new SpecError(
      file,
      `${at}/timeBatch`,
      `timeBatch ${settings.timeBatch} exceeds the ${network.timesteps} timesteps of '${network.name}'; use 1 to ${network.timesteps}`,
    );
  }
  if (settings.schedule === 'layer-by-layer') {
    return { schedule: 'layer-by-layer', tileAxis: settings.tileAxis ?? 'OX', tileSize: null, timeBatch: settings.timeBatch };
  }
  if (settings.tileSize === undefined) {
    throw new SpecError(file, `${at}/tileSize`, `a fused group needs tileSize, the output columns (or rows) per tile; STEMS uses 1`);
  }
  // The STEMS authors' model fuses with tiles of one output column.
  if (stemsAssumptions) return { schedule: 'fused', tileAxis: 'OX', tileSize: 1, timeBatch: settings.timeBatch };
  return { schedule: 'fused', tileAxis: settings.tileAxis ?? 'OX', tileSize: settings.tileSize, timeBatch: settings.timeBatch };
}

/** Layers of a group spec, from its layer names or its block names, in network order. */
function groupLayers(group: GroupScheduleSpec, network: ResolvedNetwork, file: string, at: string): ResolvedLayer[] {
  if (group.layers && group.blocks) {
    throw new SpecError(file, at, `a group lists either layers or blocks, not both`);
  }
  if (group.layers) {
    return group.layers.map((name, index) => {
      const layer = network.byName.get(name);
      if (!layer) throw new SpecError(file, `${at}/layers/${index}`, `unknown layer '${name}'; '${network.name}' has no layer of this name`);
      return layer;
    });
  }
  if (group.blocks) {
    return group.blocks.flatMap((block, index) => {
      if (!network.blocks.includes(block)) {
        throw new SpecError(file, `${at}/blocks/${index}`, `unknown block '${block}'; '${network.name}' has blocks ${network.blocks.join(', ')}`);
      }
      return network.layers.filter((layer) => layer.block === block);
    });
  }
  throw new SpecError(file, at, `a group needs 'layers' or 'blocks'`);
}

/**
 * Resolves the inter-layer schedule: the spec's groups in order, with every maximal run of layers that no group names
 * forming one group with the default settings. Flatten views belong to no group.
 */
export function resolveGroups(spec: MappingSpec, network: ResolvedNetwork, file: string, stemsAssumptions: boolean): ResolvedGroup[] {
  const computeLayers = network.layers.filter((layer) => !layer.isView);
  const position = new Map(computeLayers.map((layer, index) => [layer.name, index]));
  const owner: number[] = computeLayers.map(() => -1);
  const explicit: { first: number; last: number; group: Omit<ResolvedGroup, 'index'> }[] = [];

  (spec.groups ?? []).forEach((group, groupIndex) => {
    const at = `/groups/${groupIndex}`;
    const layers = groupLayers(group, network, file, at).filter((layer) => !layer.isView);
    if (layers.length === 0) throw new SpecError(file, at, `the group has only flatten layers, which have no loop nest`);
    const positions = layers.map((layer) => position.get(layer.name)!);
    for (const [index, layerPosition] of positions.entries()) {
      if (owner[layerPosition] !== -1) {
        throw new SpecError(
          file,
          `${at}`,
          `layer '${layers[index].name}' is already in group ${owner[layerPosition]}; groups must not overlap`,
        );
      }
      owner[layerPosition] = groupIndex;
    }
    const first = Math.min(...positions);
    const last = Math.max(...positions);
    if (last - first + 1 !== positions.length) {
      const missing = computeLayers.slice(first, last + 1).find((layer) => !layers.includes(layer))!;
      throw new SpecError(
        file,
        at,
        `the group's layers are not consecutive in layer order: '${missing.name}' lies between them; add it or split the group`,
      );
    }
    if (explicit.length > 0 && first < explicit[explicit.length - 1].last) {
      throw new SpecError(file, at, `groups must be listed in layer order; this group starts before the end of group ${groupIndex - 1}`);
    }
    const sorted = positions.map((layerPosition) => computeLayers[layerPosition]).sort((a, b) => a.index - b.index);
    explicit.push({ first, last, group: { layers: sorted, specPath: at, ...resolveSettings(group, network, file, at, stemsAssumptions) } });
  });

  const defaultPath = '/defaultGroup';
  const defaults = resolveSettings(spec.defaultGroup ?? FALLBACK_GROUP, network, file, defaultPath, stemsAssumptions);
  const groups: ResolvedGroup[] = [];
  let next = 0;
  const addDefaultRun = (end: number) => {
    if (end > next) groups.push({ index: groups.length, layers: computeLayers.slice(next, end), specPath: defaultPath, ...defaults });
  };
  for (const { first, last, group } of explicit) {
    addDefaultRun(first);
    groups.push({ index: groups.length, ...group });
    next = last + 1;
  }
  addDefaultRun(computeLayers.length);
  return groups;
}
