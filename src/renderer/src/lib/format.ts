/** Formatting helpers shared by every panel. Numbers are for people: short, rounded, tabular. */

const MEBIBYTE = 1024 * 1024;

/** "85.2 MB" (binary megabytes, as the health report's *_mb figures). */
export function formatMegabytes(bytes: number): string {
  if (!Number.isFinite(bytes)) {
    return '–';
  }
  return `${(bytes / MEBIBYTE).toFixed(1)} MB`;
}

/** Bytes in the most readable unit: "512 B", "12.4 KB", "85.2 MB", "1.20 GB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) {
    return '–';
  }
  const absolute = Math.abs(bytes);
  if (absolute < 1024) {
    return `${Math.round(bytes)} B`;
  }
  if (absolute < MEBIBYTE) {
    return `${(bytes / 1024).toFixed(1)} KB`;
  }
  if (absolute < 1024 * MEBIBYTE) {
    return `${(bytes / MEBIBYTE).toFixed(1)} MB`;
  }
  return `${(bytes / (1024 * MEBIBYTE)).toFixed(2)} GB`;
}

const integerFormat = new Intl.NumberFormat('en-US');

/** "12,345". */
export function formatCount(value: number): string {
  return integerFormat.format(value);
}

/** "3 s", "4 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) {
    return '–';
  }
  if (seconds < 60) {
    return seconds < 10 ? `${seconds.toFixed(1)} s` : `${Math.round(seconds)} s`;
  }
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  if (hours > 0) {
    return `${hours} h ${String(minutes).padStart(2, '0')} min`;
  }
  return `${minutes} min ${String(rest).padStart(2, '0')} s`;
}

/** "just now", "12 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function formatAge(timestamp: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - timestamp) / 1000));
  if (seconds < 5) {
    return 'just now';
  }
  if (seconds < 60) {
    return `${seconds} s ago`;
  }
  if (seconds < 3600) {
    return `${Math.floor(seconds / 60)} min ago`;
  }
  if (seconds < 86_400) {
    return `${Math.floor(seconds / 3600)} h ago`;
  }
  return `${Math.floor(seconds / 86_400)} d ago`;
}

/** "14:03:27" in local time; with milliseconds for logs. */
export function formatClock(timestamp: number, withMilliseconds = false): string {
  const date = new Date(timestamp);
  const clock = [date.getHours(), date.getMinutes(), date.getSeconds()].map((part) => String(part).padStart(2, '0')).join(':');
  return withMilliseconds ? `${clock}.${String(date.getMilliseconds()).padStart(3, '0')}` : clock;
}

/** "0.42 ms", "12.4 ms", "250 ms". */
export function formatMilliseconds(value: number): string {
  if (!Number.isFinite(value)) {
    return '–';
  }
  if (value < 10) {
    return `${value.toFixed(2)} ms`;
  }
  return value < 100 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;
}

/** "42%". */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) {
    return '–';
  }
  return `${Math.round(fraction * 100)}%`;
}
