/** The figures the explorer minimises for each candidate. */
export interface Objectives {
  /** DRAM reads plus writes, in bits. */
  offChipBits: number;
  energyPj: number;
  /** Latency in cycles. */
  cycles: number;
  /** Buffer capacity in bits that the schedule needs to never evict or bypass (see on-chip.ts). */
  onChipBits: number;
}

export type ObjectiveName = 'offchip' | 'energy' | 'latency' | 'onchip';

export const OBJECTIVE_NAMES: readonly ObjectiveName[] = ['offchip', 'energy', 'latency', 'onchip'];

export const OBJECTIVE_FIELDS: Record<ObjectiveName, keyof Objectives> = {
  offchip: 'offChipBits',
  energy: 'energyPj',
  latency: 'cycles',
  onchip: 'onChipBits',
};

export function isObjectiveName(value: string): value is ObjectiveName {
  return (OBJECTIVE_NAMES as readonly string[]).includes(value);
}

/** Orders by one objective, then by the others in the order of OBJECTIVE_NAMES, so that ties break the same way every run. */
export function compareBy(objective: ObjectiveName, a: Objectives, b: Objectives): number {
  const first = a[OBJECTIVE_FIELDS[objective]] - b[OBJECTIVE_FIELDS[objective]];
  if (first !== 0) return first;
  for (const name of OBJECTIVE_NAMES) {
    const difference = a[OBJECTIVE_FIELDS[name]] - b[OBJECTIVE_FIELDS[name]];
    if (difference !== 0) return difference;
  }
  return 0;
}

/** true when `a` is no worse than `b` in every objective and better in at least one. */
export function dominates(a: Objectives, b: Objectives): boolean {
  let better = false;
  for (const name of OBJECTIVE_NAMES) {
    const field = OBJECTIVE_FIELDS[name];
    if (a[field] > b[field]) return false;
    if (a[field] < b[field]) better = true;
  }
  return better;
}

/**
 * Returns the points that no other point dominates, in their input order. Points with equal objectives are all kept
 * only once: the first of them in input order.
 */
export function paretoFront<T extends { objectives: Objectives }>(points: T[]): T[] {
  const front: T[] = [];
  const sorted = points.map((point, index) => ({ point, index }));
  sorted.sort((a, b) => compareBy('offchip', a.point.objectives, b.point.objectives) || a.index - b.index);
  const kept: { point: T; index: number }[] = [];
  for (const entry of sorted) {
    const objectives = entry.point.objectives;
    const beaten = kept.some(({ point }) => dominates(point.objectives, objectives) || sameObjectives(point.objectives, objectives));
    if (!beaten) kept.push(entry);
  }
  kept.sort((a, b) => a.index - b.index);
  for (const { point } of kept) front.push(point);
  return front;
}

function sameObjectives(a: Objectives, b: Objectives): boolean {
  return OBJECTIVE_NAMES.every((name) => a[OBJECTIVE_FIELDS[name]] === b[OBJECTIVE_FIELDS[name]]);
}
