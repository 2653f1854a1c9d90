import { BridgeError } from '../../protocols/errors.ts';
import { ENV_PREFIX } from './types.ts';

/**
 * EKTP_BRIDGE_<PATH> overrides (cli.md "Configuration"). The variable names are derived from the
 * schema itself, so every key in the schema is overridable and nothing else is: a leaf is any key
 * whose schema does not list `properties` of its own (arrays and free-form objects are leaves and
 * take JSON). String keys take the raw text; everything else is JSON-parsed.
 */
interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
}

export interface EnvKey {
  /** path in the config object, e.g. ['security', 'requireTickets'] */
  path: string[];
  /** whether the value is taken as raw text rather than JSON */
  raw: boolean;
}

/** Variables that are not config keys but belong to the daemon (read elsewhere). */
const NOT_CONFIG = new Set([`${ENV_PREFIX}CONFIG`]);

export function envKeysFromSchema(schema: SchemaNode): Map<string, EnvKey> {
  const out = new Map<string, EnvKey>();
  const walk = (node: SchemaNode, path: string[]) => {
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      const childPath = [...path, name];
      if (child.properties) walk(child, childPath);
      else
        out.set(ENV_PREFIX + childPath.join('_').toUpperCase(), {
          path: childPath,
          raw: child.type === 'string',
        });
    }
  };
  walk(schema, []);
  return out;
}

export interface EnvOverrides {
  /** env variable name -> dotted config key, for error messages */
  applied: Map<string, string>;
  /** EKTP_BRIDGE_* variables that name no config key (reported, not fatal: other tools share the prefix) */
  unknown: string[];
}

/** Writes the overrides found in `env` into `target` (mutated) and says which were applied. */
export function applyEnvOverrides(
  target: Record<string, unknown>,
  env: Record<string, string | undefined>,
  keys: Map<string, EnvKey>,
): EnvOverrides {
  const applied = new Map<string, string>();
  const unknown: string[] = [];
  for (const [name, text] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || text === undefined || NOT_CONFIG.has(name)) continue;
    const key = keys.get(name);
    if (!key) {
      unknown.push(name);
      continue;
    }
    const dotted = key.path.join('.');
    let value: unknown = text;
    if (!key.raw) {
      try {
        value = JSON.parse(text);
      } catch {
        throw new BridgeError(
          'INVALID_PARAMS',
          `config key "${dotted}" (from ${name}): value is not valid JSON`,
        );
      }
    }
    let node = target;
    for (const part of key.path.slice(0, -1)) {
      const next = node[part];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[key.path[key.path.length - 1]] = value;
    applied.set(name, dotted);
  }
  return { applied, unknown };
}
