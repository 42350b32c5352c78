import type { IndexDone, IndexProgress } from '../../../shared/types';
import { formatCount, formatDuration } from './format';

/** What the Indexing panel says about a run at one moment. */
export interface ProgressView {
  /** scanning: the walk's total is not known yet; indexing: it is; done: the run ended. */
  readonly phase: 'starting' | 'scanning' | 'indexing' | 'finishing' | 'done';
  /** 0..100 once the total is known (never lower than an earlier figure of the same run), else null. */
  readonly percent: number | null;
  /** Seconds left, from bytes: null until the total is known and a rate measured. */
  readonly etaSeconds: number | null;
}

/** What one run remembers between progress events: the highest percentage and a smoothed byte rate. */
export interface ProgressMemory {
  taskId: string | null;
  percent: number;
  lastTime: number | null;
  lastBytes: number;
  /** Bytes per second, exponentially smoothed. */
  rate: number | null;
}

export function createProgressMemory(): ProgressMemory {
  return { taskId: null, percent: 0, lastTime: null, lastBytes: 0, rate: null };
}

/** Weight of the newest interval in the smoothed rate. */
const RATE_WEIGHT = 0.3;

/**
 * Turns the latest progress event into what is shown. The percentage is bytes done over the
 * bytes of every file found, and only once the walk has ended (before that the total is a
 * guess that keeps growing, so the bar would run back); it never goes back within a run.
 */
export function progressView(taskId: string, progress: IndexProgress | null, done: IndexDone | null, now: number, memory: ProgressMemory): ProgressView {
  if (memory.taskId !== taskId) {
    Object.assign(memory, createProgressMemory(), { taskId });
  }
  if (done !== null) {
    return { phase: 'done', percent: done.status === 'completed' ? 100 : memory.taskId === taskId && memory.percent > 0 ? memory.percent : null, etaSeconds: null };
  }
  if (progress === null) {
    return { phase: 'starting', percent: null, etaSeconds: null };
  }
  if (memory.lastTime !== null && now > memory.lastTime && progress.bytesDone >= memory.lastBytes) {
    const instant = ((progress.bytesDone - memory.lastBytes) * 1000) / (now - memory.lastTime);
    memory.rate = memory.rate === null ? instant : memory.rate + RATE_WEIGHT * (instant - memory.rate);
  }
  if (memory.lastTime === null || now > memory.lastTime) {
    memory.lastTime = now;
    memory.lastBytes = progress.bytesDone;
  }
  if (!progress.walkDone) {
    return { phase: 'scanning', percent: null, etaSeconds: null };
  }
  const total = progress.bytesDiscovered;
  const fraction = total !== undefined ? (total > 0 ? progress.bytesDone / total : 1) : progress.filesDiscovered > 0 ? progress.filesDone / progress.filesDiscovered : 0;
  // 99 at most until the run says it is done: the last commit and merge still follow.
  memory.percent = Math.max(memory.percent, Math.min(99, Math.floor(fraction * 100)));
  const remaining = total === undefined ? null : Math.max(0, total - progress.bytesDone);
  const rate = memory.rate ?? (progress.mbPerSec > 0 ? progress.mbPerSec * 1024 * 1024 : null);
  const etaSeconds = remaining === null ? progress.etaSeconds : rate !== null && rate > 0 ? remaining / rate : null;
  return { phase: progress.phase === 'finishing' ? 'finishing' : 'indexing', percent: memory.percent, etaSeconds };
}

/** "13,410 unchanged · 3 changed · 1 removed · 2.1 s" for a finished run. */
export function runSummary(done: IndexDone): string {
  const { summary } = done;
  // A first run has nothing unchanged: "2,277 indexed"; a re-index says what it kept and what it read.
  const parts =
    summary.files_unchanged > 0 ? [`${formatCount(summary.files_unchanged)} unchanged`, `${formatCount(summary.files_indexed)} changed`] : [`${formatCount(summary.files_indexed)} indexed`];
  if (summary.files_removed > 0) {
    parts.push(`${formatCount(summary.files_removed)} removed`);
  }
  parts.push(formatDuration(summary.seconds));
  return parts.join(' · ');
}
