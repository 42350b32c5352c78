import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const config = load(readFileSync(join(__dirname, '..', '..', '..', 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

describe('electron-builder.yml', () => {
  it('flips the fuses that close the ways to run code with the app', () => {
    const fuses = config.electronFuses as Record<string, unknown> | undefined;
    expect(fuses?.runAsNode).toBe(false);
    expect(fuses?.enableNodeOptionsEnvironmentVariable).toBe(false);
    expect(fuses?.enableNodeCliInspectArguments).toBe(false);
    expect(fuses?.enableEmbeddedAsarIntegrityValidation).toBe(true);
    expect(fuses?.onlyLoadAppFromAsar).toBe(true);
    expect(fuses?.grantFileProtocolExtraPrivileges).toBe(false);
  });

  it('packs the app into an asar, which the integrity and asar-only fuses need', () => {
    expect(config.asar).toBe(true);
  });
});
