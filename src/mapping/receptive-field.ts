import { NETWORK_INPUT, ResolvedLayer, ResolvedNetwork } from '../spec/network';
import { TileAxis } from './types';

/** An input of a layer after looking through flatten views. */
export interface LayerSource {
  /** The producing layer, or null for the network input. */
  producer: ResolvedLayer | null;
  /** true when a flatten lies in between, so every element of the producer feeds every output. */
  throughView: boolean;
}

/** Returns the producers a layer reads, with flatten views resolved to the layer behind them. */
export function layerSources(layer: ResolvedLayer, network: ResolvedNetwork): LayerSource[] {
  return layer.inputs.map((name) => {
    let throughView = false;
    let current = name;
    while (current !== NETWORK_INPUT && network.byName.get(current)!.isView) {
      throughView = true;
      current = network.byName.get(current)!.inputs[0];
    }
    return { producer: current === NETWORK_INPUT ? null : network.byName.get(current)!, throughView };
  });
}

/**
 * Input rows (axis OY) or columns (OX) that output rows or columns [start, end) of a layer read: [start * s - pad,
 * (end - 1) * s - pad + F), clipped to the input. With `ignorePadding` (STEMS mode) the window starts at start * s, as
 * if the input carried the padding. Returns [first, last + 1), never empty.
 */
export function inputRange(
  layer: ResolvedLayer,
  axis: TileAxis,
  start: number,
  end: number,
  inputExtent: number,
  ignorePadding: boolean,
): [number, number] {
  const kernel = axis === 'OX' ? layer.dims.FX : layer.dims.FY;
  let pad = axis === 'OX' ? layer.padLeft : layer.padTop;
  if (ignorePadding) pad = 0;
  const first = Math.min(Math.max(start * layer.stride - pad, 0), inputExtent - 1);
  const last = Math.min(Math.max((end - 1) * layer.stride - pad + kernel, first + 1), inputExtent);
  return [first, last];
}
