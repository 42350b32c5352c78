import { useCallback, useEffect, useRef, useState } from 'react';
import type { Result, ResultError } from '../../../shared/result';

export type RequestState<T> =
  | { readonly status: 'loading'; readonly value: T | null; readonly error: null }
  | { readonly status: 'ready'; readonly value: T; readonly error: null }
  | { readonly status: 'error'; readonly value: T | null; readonly error: ResultError };

/**
 * Runs a request when the component mounts (and when `reload` is called), keeping the
 * previous value while a reload is in flight. Answers that arrive after unmount, or after
 * a newer call, are dropped.
 */
export function useRequest<T>(run: () => Promise<Result<T>>): RequestState<T> & { reload: () => void } {
  const [state, setState] = useState<RequestState<T>>({ status: 'loading', value: null, error: null });
  const runRef = useRef(run);
  runRef.current = run;
  const generation = useRef(0);

  const reload = useCallback(() => {
    generation.current += 1;
    const current = generation.current;
    setState((previous) => ({ status: 'loading', value: previous.value, error: null }));
    void runRef.current().then((result) => {
      if (current !== generation.current) {
        return;
      }
      setState((previous) => (result.ok ? { status: 'ready', value: result.value, error: null } : { status: 'error', value: previous.value, error: result.error }));
    });
  }, []);

  useEffect(() => {
    reload();
    return () => {
      generation.current += 1;
    };
  }, [reload]);

  return { ...state, reload };
}
