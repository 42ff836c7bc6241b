import { compareBy, dominates, Objectives, paretoFront } from '../../src/explore/objectives';

const point = (offChipBits: number, energyPj: number, cycles: number, onChipBits: number, name: string) => ({
  name,
  objectives: { offChipBits, energyPj, cycles, onChipBits } as Objectives,
});

describe('paretoFront', () => {
  test('drops dominated points and keeps input order', () => {
    const points = [
      point(10, 5, 5, 5, 'a'),
      point(5, 10, 5, 5, 'b'),
      point(10, 10, 5, 5, 'dominated by a and b'),
      point(1, 20, 20, 20, 'c'),
      point(5, 10, 5, 6, 'dominated by b'),
    ];
    expect(paretoFront(points).map((entry) => entry.name)).toEqual(['a', 'b', 'c']);
  });

  test('keeps one of equal points, the first', () => {
    const points = [point(1, 1, 1, 1, 'first'), point(1, 1, 1, 1, 'second')];
    expect(paretoFront(points).map((entry) => entry.name)).toEqual(['first']);
  });

  test('returns no point of an empty list', () => {
    expect(paretoFront([])).toEqual([]);
  });
});

describe('dominates', () => {
  test('needs no worse everywhere and better somewhere', () => {
    expect(dominates(point(1, 1, 1, 1, '').objectives, point(1, 1, 1, 2, '').objectives)).toBe(true);
    expect(dominates(point(1, 1, 1, 1, '').objectives, point(1, 1, 1, 1, '').objectives)).toBe(false);
    expect(dominates(point(0, 2, 1, 1, '').objectives, point(1, 1, 1, 1, '').objectives)).toBe(false);
  });
});

describe('compareBy', () => {
  test('breaks ties of the objective by the others', () => {
    const a = point(1, 2, 3, 4, '').objectives;
    const b = point(1, 2, 3, 5, '').objectives;
    expect(compareBy('offchip', a, b)).toBeLessThan(0);
    expect(compareBy('onchip', b, a)).toBeGreaterThan(0);
    expect(compareBy('energy', a, a)).toBe(0);
  });
});
