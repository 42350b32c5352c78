/** A piece of a line: plain text or a match. */
export interface Segment {
  readonly text: string;
  readonly match: boolean;
}

/**
 * Cuts `text` into plain and matching segments from [start, end) ranges (UTF-16 offsets).
 * Ranges are sorted, clamped to the text and merged when they overlap. A line whose first
 * match lies further in than `lead` characters starts `lead` characters before it (with an
 * ellipsis), so the match is on screen however narrow the row; the rest is cut at `maxLength`.
 */
export function highlightSegments(text: string, ranges: readonly (readonly [number, number])[], maxLength = 400, lead = 40): Segment[] {
  const sorted = ranges
    .map(([start, end]) => [Math.max(0, Math.min(start, text.length)), Math.max(0, Math.min(end, text.length))] as const)
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);

  let offset = 0;
  let visible = text;
  const firstStart = sorted[0]?.[0] ?? 0;
  if (firstStart > lead + 10) {
    offset = firstStart - lead;
    visible = text.slice(offset);
  }
  if (visible.length > maxLength) {
    visible = visible.slice(0, maxLength);
  }

  const segments: Segment[] = [];
  if (offset > 0) {
    segments.push({ text: '…', match: false });
  }
  let cursor = 0;
  for (const [rawStart, rawEnd] of sorted) {
    const start = Math.max(cursor, rawStart - offset);
    const end = Math.min(visible.length, rawEnd - offset);
    if (end <= start) {
      continue;
    }
    if (start > cursor) {
      segments.push({ text: visible.slice(cursor, start), match: false });
    }
    const previous = segments[segments.length - 1];
    if (previous !== undefined && previous.match && start === cursor) {
      segments[segments.length - 1] = { text: previous.text + visible.slice(start, end), match: true };
    } else {
      segments.push({ text: visible.slice(start, end), match: true });
    }
    cursor = end;
  }
  if (cursor < visible.length) {
    segments.push({ text: visible.slice(cursor), match: false });
  }
  if (offset + visible.length < text.length) {
    segments.push({ text: '…', match: false });
  }
  return segments;
}

/** Joins a repository root and a `/`-separated relative path with the root's own separator. */
export function joinRepoPath(root: string, relative: string): string {
  const windows = root.includes('\\') && !root.includes('/');
  const separator = windows ? '\\' : '/';
  const trimmedRoot = root.endsWith(separator) ? root.slice(0, -1) : root;
  return `${trimmedRoot}${separator}${windows ? relative.replaceAll('/', '\\') : relative}`;
}
