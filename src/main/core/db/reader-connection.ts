import { Worker, type ResourceLimits } from 'node:worker_threads';
import { AppError } from '../base/errors';
import type { Disposable } from '../base/lifecycle';
import type { ErrorCode } from '../../../shared/result';
import type { WorkerEntry } from '../base/workers';
import type { FromReader, ReaderHeap, ReaderWorkerData, SerializedError, ToReader } from './reader-protocol';
import { DatabaseError } from './integrity-check';

/** The thread's own state; the pool's resource states (idle, borrowed…) are the pool's. */
export type ConnectionState = 'opening' | 'open' | 'closing' | 'closed';

export interface ReaderConnectionOptions {
  readonly id: number;
  readonly overflow: boolean;
  readonly entry: WorkerEntry;
  /** What the thread is started with; the connection adds its own cancel flag. */
  readonly data: Omit<ReaderWorkerData, 'cancelFlag'>;
  /** V8 heap caps of the thread, from the memory budget. */
  readonly resourceLimits?: ResourceLimits;
  readonly createdAt: number;
  /** Called once if the thread stops without being asked to (a crash, a kill). */
  readonly onUnexpectedExit: (connection: ReaderConnection, code: number) => void;
  /** Called when the thread starts (e.g. to register it with the memory monitor); the result is disposed when it ends. Must not throw. */
  readonly onWorker?: (name: string, worker: Worker) => Disposable;
}

export interface CallOutcome {
  readonly value: unknown;
  /** Time the op ran inside the worker, without the message round trip. */
  readonly durationMs: number;
}

/** A call sent to the thread: its outcome, and a way to ask the busy thread to stop it. */
export interface CallHandle {
  readonly outcome: Promise<CallOutcome>;
  /** Raises the shared cancel flag for this call; the op stops at its next check. Harmless once answered. */
  cancel(): void;
}

interface PendingCall {
  resolve(outcome: CallOutcome): void;
  reject(error: Error): void;
}

/** One reader connection: a worker thread holding one read-only better-sqlite3 connection. */
export class ReaderConnection {
  readonly id: number;
  readonly overflow: boolean;
  readonly createdAt: number;
  state: ConnectionState = 'opening';
  /** Last heap figures the thread reported. */
  heap: ReaderHeap = { heapUsed: 0, heapTotal: 0, external: 0 };
  /** Resolves when the connection is open; rejects if it cannot be opened. */
  readonly ready: Promise<void>;

  private readonly worker: Worker;
  private readonly cancelBuffer = new SharedArrayBuffer(4);
  private readonly cancelFlag = new Int32Array(this.cancelBuffer);
  private readonly pending = new Map<number, PendingCall>();
  private readonly exited: Promise<void>;
  private nextSeq = 1;
  private hasExited = false;
  private closeReason: Error | undefined;
  private lastError: Error | undefined;

  constructor(private readonly options: ReaderConnectionOptions) {
    this.id = options.id;
    this.overflow = options.overflow;
    this.createdAt = options.createdAt;
    this.worker = new Worker(options.entry.filename, {
      execArgv: [...options.entry.execArgv],
      workerData: { ...options.data, cancelFlag: this.cancelBuffer } satisfies ReaderWorkerData,
      ...(options.resourceLimits === undefined ? {} : { resourceLimits: options.resourceLimits }),
    });
    let settleReady: { resolve(): void; reject(error: Error): void } | undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      settleReady = { resolve, reject };
    });
    const watch = options.onWorker?.(this.name, this.worker);
    this.exited = new Promise<void>((resolve) => {
      this.worker.once('exit', (code) => {
        this.hasExited = true;
        void watch?.dispose();
        const reason = this.closeReason ?? new Error(`Reader connection ${this.id} stopped (exit code ${code})${this.lastError ? `: ${this.lastError.message}` : ''}`);
        settleReady?.reject(reason);
        this.rejectPending(reason);
        const expected = this.state === 'closing' || this.state === 'closed';
        this.state = 'closed';
        if (!expected) {
          options.onUnexpectedExit(this, code);
        }
        resolve();
      });
    });
    this.worker.on('error', (error) => {
      this.lastError = error;
    });
    this.worker.on('message', (message: FromReader) => {
      switch (message.type) {
        case 'ready':
          this.heap = message.heap;
          if (this.state === 'opening') {
            this.state = 'open';
          }
          settleReady?.resolve();
          break;
        case 'open_failed':
          // The pool words this one itself, naming the database file.
          this.lastError = new Error(message.error.message);
          settleReady?.reject(this.lastError);
          break;
        case 'result': {
          this.heap = message.heap;
          const call = this.pending.get(message.seq);
          this.pending.delete(message.seq);
          if (message.ok) {
            call?.resolve({ value: message.value, durationMs: message.durationMs });
          } else {
            call?.reject(rebuildError(message.error));
          }
          break;
        }
        case 'closed':
          break;
      }
    });
  }

  /** The thread's name in the stats, the dashboard and heap snapshot file names. */
  get name(): string {
    return `reader-worker-${this.id}`;
  }

  get threadId(): number {
    return this.worker.threadId;
  }

  get alive(): boolean {
    return !this.hasExited;
  }

  /** Number of calls sent and not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Runs a named op in the thread. Rejects at once if the thread has stopped. */
  call(op: string, args: unknown): Promise<CallOutcome> {
    return this.send(op, args, 0).outcome;
  }

  /**
   * Runs a named op within `budgetMs` (0: none), which the thread counts from when it starts
   * the op; the handle can cancel it while it runs.
   */
  send(op: string, args: unknown, budgetMs: number): CallHandle {
    if (this.hasExited) {
      return { outcome: Promise.reject(this.closeReason ?? new Error(`Reader connection ${this.id} has stopped`)), cancel: () => {} };
    }
    const seq = this.nextSeq++;
    const outcome = new Promise<CallOutcome>((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.post({ type: 'call', seq, op, args, budgetMs });
    });
    return { outcome, cancel: () => Atomics.store(this.cancelFlag, 0, seq) };
  }

  /**
   * Asks the thread to close its connection and exit; terminates it after `graceMs`.
   * Calls still pending are rejected with `reason`.
   */
  async close(reason: Error, graceMs = 1000): Promise<void> {
    if (this.state !== 'closed') {
      this.state = 'closing';
    }
    this.closeReason ??= reason;
    if (!this.hasExited) {
      this.post({ type: 'close' });
      const timer = setTimeout(() => void this.worker.terminate(), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    this.state = 'closed';
  }

  private post(message: ToReader): void {
    this.worker.postMessage(message);
  }

  private rejectPending(reason: Error): void {
    for (const call of this.pending.values()) {
      call.reject(reason);
    }
    this.pending.clear();
  }
}

// Every code, checked by the compiler, so a code added to ErrorCode is not silently dropped.
const appErrorCodes: Readonly<Record<ErrorCode, true>> = {
  bad_request: true,
  unknown_request: true,
  not_found: true,
  not_a_directory: true,
  permission_denied: true,
  invalid_path: true,
  invalid_regex: true,
  pool_timeout: true,
  database_error: true,
  cancelled: true,
  timeout: true,
  unsupported: true,
  shutting_down: true,
  internal: true,
};

/** Rebuilds an error thrown in the worker: user-facing errors keep their code and message. */
export function rebuildError(error: SerializedError): Error {
  if (error.name === 'AppError' && error.code !== null && Object.hasOwn(appErrorCodes, error.code)) {
    return new AppError(error.code as ErrorCode, error.message);
  }
  if (error.name === 'SqliteError') {
    // The result code survives, so the caller can tell damage (SQLITE_CORRUPT) from the rest.
    return new DatabaseError(`Database error: ${error.message}`, error.code ?? 'SQLITE_ERROR');
  }
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  return rebuilt;
}
