import { Ajv, type ErrorObject, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * One way to build an ajv instance for the config and the JSON-RPC param schemas.
 * ajv-formats is CommonJS: under tsx the default import is the plugin itself, under tsc's NodeNext
 * typing it is the module object with `.default`; accept both so the same line works everywhere.
 */
type FormatsPlugin = (ajv: Ajv) => Ajv;
const addFormats: FormatsPlugin =
  typeof addFormatsModule === 'function'
    ? (addFormatsModule as unknown as FormatsPlugin)
    : ((addFormatsModule as unknown as { default: FormatsPlugin }).default as FormatsPlugin);

export function createAjv(options: Options = {}): Ajv {
  const ajv = new Ajv({ allErrors: false, strict: true, ...options });
  addFormats(ajv);
  return ajv;
}

/** `/security/maxMessageBytes` -> `security.maxMessageBytes`; array indexes stay as `[0]`. */
export function pointerToKey(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

/** The key an ajv error is about: for `required` and `additionalProperties` that is the child key. */
export function errorKey(err: ErrorObject): string {
  const base = pointerToKey(err.instancePath);
  const child =
    err.keyword === 'required'
      ? (err.params as { missingProperty?: string }).missingProperty
      : err.keyword === 'additionalProperties'
        ? (err.params as { additionalProperty?: string }).additionalProperty
        : undefined;
  if (child === undefined) return base;
  return base ? `${base}.${child}` : child;
}

/** A one-line description of an ajv error that names the key, e.g. `"port": must be <= 65535`. */
export function describeAjvError(err: ErrorObject): string {
  const key = errorKey(err);
  let text = err.message ?? 'is invalid';
  if (err.keyword === 'additionalProperties') text = 'is not a known key';
  if (err.keyword === 'required') text = 'is required';
  if (err.keyword === 'enum') {
    const allowed = (err.params as { allowedValues?: unknown[] }).allowedValues;
    if (allowed) text = `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return `"${key || '(root)'}": ${text}`;
}
