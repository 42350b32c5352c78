import type { LogLevel } from '../../shared/types';
import { formatLogLine, levelRank, type LogSink } from '../core/log/logger';

/** Mirrors warnings and errors to stderr so a CLI user sees them without opening the log file. */
export function stderrLogSink(stderr: NodeJS.WritableStream, minimum: LogLevel): LogSink {
  return (entry) => {
    if (levelRank[entry.level] >= levelRank[minimum]) stderr.write(`${formatLogLine(entry)}\n`);
  };
}
