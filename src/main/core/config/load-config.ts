import { parseEnv } from 'node:util';
import { readBoundedText } from '../files/bounded-text';
import type { ConfigEntry, ConfigSource } from '../../../shared/types';
import { definitions, type Config, type SettingName } from './definitions';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface LoadedConfig {
  readonly values: Config;
  readonly entries: readonly ConfigEntry[];
  /** What the user should know but did not stop start-up (a .env skipped); the core logs them. */
  readonly warnings: readonly string[];
}

/** A `.env` holds a few settings; anything larger is not one (a link to /dev/zero took 2.4 GB). */
export const DOTENV_MAX_BYTES = 64 * 1024;

export interface ConfigInputs {
  /** Usually process.env. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Path of a .env file; a missing file is not an error. */
  readonly dotenvPath?: string;
  /** Values given on the command line; they win over everything. */
  readonly overrides?: Partial<Record<SettingName, string>>;
}

/**
 * Resolves every setting: command line, then the environment, then .env, then the default.
 * The first invalid value stops start-up with a message that names the variable and the
 * accepted range, because a silently ignored limit is how the seed's leaks began.
 */
export function loadConfig(inputs: ConfigInputs): LoadedConfig {
  const warnings: string[] = [];
  const dotenv = readDotenv(inputs.dotenvPath, warnings);
  const values: Record<string, unknown> = {};
  const entries: ConfigEntry[] = [];
  for (const name of Object.keys(definitions) as SettingName[]) {
    const definition = definitions[name];
    const [raw, source] = pickRaw(name, inputs, dotenv);
    let value: string | number | boolean = definition.default;
    if (raw !== undefined) {
      const parsed = definition.parse(raw);
      if ('error' in parsed) {
        throw new ConfigError(`Invalid ${name}=${JSON.stringify(raw)} (from ${source}): expected ${parsed.error}`);
      }
      value = parsed.value;
    }
    values[name] = value;
    entries.push({ name, value, source: raw === undefined ? 'default' : source, description: definition.description });
  }
  return { values: Object.freeze(values) as Config, entries: Object.freeze(entries), warnings: Object.freeze(warnings) };
}

function pickRaw(name: SettingName, inputs: ConfigInputs, dotenv: Record<string, string>): [string | undefined, ConfigSource] {
  const fromCli = inputs.overrides?.[name];
  if (fromCli !== undefined) return [fromCli, 'cli'];
  const fromEnv = inputs.env[name];
  if (fromEnv !== undefined && fromEnv !== '') return [fromEnv, 'env'];
  const fromDotenv = dotenv[name];
  if (fromDotenv !== undefined && fromDotenv !== '') return [fromDotenv, '.env'];
  return [undefined, 'default'];
}

function readDotenv(path: string | undefined, warnings: string[]): Record<string, string> {
  if (path === undefined) return {};
  const read = readBoundedText(path, DOTENV_MAX_BYTES, { followSymlinks: true });
  if (!read.ok) {
    if (!read.missing) warnings.push(`.env skipped, its settings are not applied: ${read.message}`);
    return {};
  }
  return parseEnv(read.text) as Record<string, string>;
}
