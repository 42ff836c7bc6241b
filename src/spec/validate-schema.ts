import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { TSchema } from '@sinclair/typebox';
import { SpecError } from './errors';

const ajv = new Ajv({ allErrors: true, strict: false, discriminator: true, verbose: true });
const compiled = new Map<TSchema, ValidateFunction>();

/** Collects the allowed values at one path, because a union of literals fails with one error per literal. */
function allowedValuesAt(errors: ErrorObject[], instancePath: string): unknown[] {
  return errors
    .filter((error) => error.instancePath === instancePath && (error.keyword === 'enum' || error.keyword === 'const'))
    .flatMap((error) => error.params.allowedValues ?? [error.params.allowedValue]);
}

function describeError(error: ErrorObject, errors: ErrorObject[]): string {
  if (error.keyword === 'additionalProperties') {
    return `unknown field '${String(error.params.additionalProperty)}'; remove it or check its spelling`;
  }
  if (error.keyword === 'discriminator') {
    const variants = (error.parentSchema?.oneOf ?? []) as { properties?: Record<string, { const?: unknown }> }[];
    const allowed = variants.map((variant) => variant.properties?.[error.params.tag]?.const);
    return `unknown ${error.params.tag} ${JSON.stringify(error.params.tagValue)}; use one of ${JSON.stringify(allowed)}`;
  }
  if (error.keyword === 'enum' || error.keyword === 'const') {
    return `must be one of ${JSON.stringify(allowedValuesAt(errors, error.instancePath))}`;
  }
  return error.message ?? 'is invalid';
}

/** Picks the error with the deepest path, which explains a failed union schema best. */
function mostSpecificError(errors: ErrorObject[]): ErrorObject {
  return errors.reduce((best, error) => (error.instancePath.length > best.instancePath.length ? error : best));
}

/** Checks `value` against a JSON Schema and raises a SpecError naming the file, the field and the reason. */
export function validateAgainstSchema<T>(schema: TSchema, value: unknown, file: string): T {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (!validate(value)) {
    const errors = validate.errors ?? [];
    const error = errors.length > 0 ? mostSpecificError(errors) : undefined;
    throw new SpecError(file, error?.instancePath ?? '', error ? describeError(error, errors) : 'does not match the schema');
  }
  return value as T;
}
