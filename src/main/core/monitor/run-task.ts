/**
 * What the heap-file jobs need of the task manager: to run one tracked, cancellable task.
 * A structural view, so monitor/ never imports tasks/ (the task manager satisfies it).
 */
export interface TaskRunner {
  run<T>(
    type: string,
    metadata: Record<string, string | number | boolean | null>,
    work: (context: { readonly signal: AbortSignal; readonly setProgress: (progress: number) => void }) => Promise<T>,
  ): { readonly id: string; readonly done: Promise<T> };
}
