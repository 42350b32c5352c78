import type { LogEntry, LogLevel } from '../../../shared/types';

export type LogFields = Readonly<Record<string, string | number | boolean | null>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export const levelRank: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogSink = (entry: LogEntry) => void;

/** A logger that hands entries at or above `level` to every sink (file, event, console, memory). */
export class SinkLogger implements Logger {
  constructor(
    private readonly level: LogLevel,
    private readonly sinks: readonly LogSink[],
    private readonly now: () => number = Date.now,
  ) {}

  debug(message: string, fields?: LogFields): void {
    this.write('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.write('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.write('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.write('error', message, fields);
  }

  private write(level: LogLevel, raw: string, rawFields?: LogFields): void {
    if (levelRank[level] < levelRank[this.level]) return;
    // Escaped here, once, so no sink (file, stderr, dashboard) can be fed a forged line.
    const message = escapeControl(raw);
    const fields = rawFields === undefined ? undefined : escapeFields(rawFields);
    const entry: LogEntry = fields === undefined ? { time: this.now(), level, message } : { time: this.now(), level, message, fields };
    for (const sink of this.sinks) {
      try {
        sink(entry);
      } catch {
        // Logging must never take the app down.
      }
    }
  }
}

/** C0 and C1 control characters, DEL, and the Unicode line and paragraph separators. */
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const namedEscapes: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Makes a logged value one harmless line: a newline in a path (`a\n[ERROR] forged`) becomes
 * the two characters `\n`, an escape sequence `\u001b[…`. Everything else is kept as is.
 */
export function escapeControl(text: string): string {
  return text.replace(controlCharacters, (character) => namedEscapes[character] ?? `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function escapeFields(fields: LogFields): LogFields {
  const escaped: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(fields)) {
    escaped[escapeControl(key)] = typeof value === 'string' ? escapeControl(value) : value;
  }
  return escaped;
}

/** Formats an entry the way the seed's logs read: `[INFO] Memory cleanup performed`. */
export function formatLogLine(entry: LogEntry): string {
  const fields = entry.fields === undefined ? '' : ` ${JSON.stringify(entry.fields)}`;
  return `${new Date(entry.time).toISOString()} [${entry.level.toUpperCase()}] ${entry.message}${fields}`;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
