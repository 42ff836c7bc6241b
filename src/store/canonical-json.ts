import { JsonValue } from './types';

/**
 * Serializes a JSON value with object keys sorted, so equal values give equal text.
 * Throws on values that JSON cannot represent exactly (undefined inside arrays, NaN, Infinity,
 * functions, bigints), naming the path of the value.
 */
export function canonicalJson(value: unknown, path = '$'): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new TypeError(`${path} is ${value}; JSON has no such number, so pass a finite number`);
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item, index) => canonicalJson(item, `${path}[${index}]`)).join(',')}]`;
  }
  if (typeof value === 'object' && isPlainObject(value)) {
    const entries = Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key], `${path}.${key}`)}`);
    return `{${entries.join(',')}}`;
  }
  throw new TypeError(`${path} is a ${typeof value === 'object' ? 'non-plain object' : typeof value}, which JSON cannot represent`);
}

/** Parses JSON text written by canonicalJson or JSON.stringify. */
export function parseJson<T extends JsonValue>(text: string): T {
  return JSON.parse(text) as T;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
