import { useId, type ReactNode } from 'react';
import type { ResultError } from '../../../shared/result';

interface PanelProps {
  /** The heading, which is also the region's accessible name. */
  readonly title: string;
  /** Short text beside the heading (counts, timings). */
  readonly meta?: ReactNode;
  /** Controls aligned right in the header. */
  readonly actions?: ReactNode;
  readonly className?: string;
  readonly children: ReactNode;
}

/** A card of the dashboard grid: a labelled region with a header and a body. */
export function Panel({ title, meta, actions, className, children }: PanelProps) {
  const headingId = useId();
  return (
    <section className={`panel ${className ?? ''}`} aria-labelledby={headingId}>
      <header className="panel-header">
        <h2 id={headingId} className="panel-title">
          {title}
        </h2>
        {meta !== undefined && <span className="panel-meta">{meta}</span>}
        {actions !== undefined && <div className="panel-actions">{actions}</div>}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}

/** A placeholder while data is on its way. */
export function LoadingState({ label = 'Loading…' }: { readonly label?: string }) {
  return (
    <div className="state state-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

/** What a part shows when there is nothing yet, with a hint of what to do. */
export function EmptyState({ title, hint }: { readonly title: string; readonly hint?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {hint !== undefined && <p className="state-hint">{hint}</p>}
    </div>
  );
}

/** A failed request, with its message and an optional retry. */
export function ErrorState({ error, onRetry }: { readonly error: ResultError; readonly onRetry?: () => void }) {
  const unavailable = error.code === 'unsupported';
  return (
    <div className={`state ${unavailable ? 'state-unavailable' : 'state-error'}`} role={unavailable ? 'status' : 'alert'}>
      <p className="state-title">{unavailable ? 'Not available' : 'Something went wrong'}</p>
      <p className="state-hint">{error.message}</p>
      {onRetry !== undefined && (
        <button type="button" className="button button-small" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export type BadgeTone = 'neutral' | 'success' | 'warning' | 'danger' | 'info';

/** A small coloured label: statuses, levels, sources. */
export function Badge({ tone, children, label }: { readonly tone: BadgeTone; readonly children: ReactNode; readonly label?: string }) {
  return (
    <span className={`badge badge-${tone}`} aria-label={label}>
      {children}
    </span>
  );
}
