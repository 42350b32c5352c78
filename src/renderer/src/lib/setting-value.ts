import type { ConfigEntry } from '../../../shared/types';
import { formatBytes, formatCount, formatDuration } from './format';

/** Settings measured in bytes, seconds or milliseconds, by name suffix or name. */
const byteSettings = new Set(['MAX_FILE_SIZE', 'CHUNK_SIZE', 'LOG_MAX_BYTES']);

/**
 * A setting as a person reads it: "1.0 MB" for 1048576, "5 min" for 300 seconds, the port the
 * page is actually served from for GITBOT_PORT 0; the raw value stays beside it when it differs.
 */
export function humaneSettingValue(entry: ConfigEntry, servedPort: string | null): { readonly text: string; readonly raw: string | null } {
  const raw = String(entry.value);
  if (typeof entry.value !== 'number') {
    return { text: raw === '' ? '(empty)' : raw, raw: null };
  }
  const value = entry.value;
  let text: string;
  if (entry.name === 'GITBOT_PORT' && value === 0) {
    text = servedPort !== null && servedPort !== '' ? `${servedPort} (picked at start)` : 'picked at start';
  } else if (byteSettings.has(entry.name)) {
    text = formatBytes(value);
  } else if (entry.name.endsWith('_MS')) {
    text = `${formatCount(value)} ms`;
  } else if (entry.name.endsWith('_MB')) {
    text = value === 0 && entry.name === 'MEMORY_LIMIT_MB' ? 'system memory' : `${formatCount(value)} MB`;
  } else if (/(_TIMEOUT|_RECYCLE|_INTERVAL|_AGE|_SECONDS)$/.test(entry.name)) {
    text = formatDuration(value);
  } else {
    text = formatCount(value);
  }
  return { text, raw: text === raw ? null : raw };
}
