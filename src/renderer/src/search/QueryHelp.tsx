import { useEffect, useId, useRef, useState } from 'react';
import { queryFilterHelp } from '../../../shared/query-filters';

/** The query syntax (filters, modes), in a popover opened from a small button; Esc or a click outside closes it. */
export function QueryHelp() {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const popoverRef = useRef<HTMLDivElement>(null);
  const popoverId = useId();

  useEffect(() => {
    if (!open) {
      return undefined;
    }
    // Focus moves into the popover, so its Esc reaches it (and a click inside keeps focus there).
    popoverRef.current?.focus();
    const onPointerDown = (event: PointerEvent): void => {
      const target = event.target as Node;
      if (!popoverRef.current?.contains(target) && !buttonRef.current?.contains(target)) {
        setOpen(false);
      }
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  return (
    <div className="query-help">
      <button ref={buttonRef} type="button" className="button button-small" aria-expanded={open} aria-controls={popoverId} onClick={() => setOpen((value) => !value)}>
        Syntax
      </button>
      {open && (
        <div
          ref={popoverRef}
          id={popoverId}
          className="popover"
          role="dialog"
          aria-label="Query syntax"
          tabIndex={-1}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault();
              event.stopPropagation();
              setOpen(false);
              buttonRef.current?.focus();
            }
          }}
        >
          <h3 className="subheading">Filters in the query</h3>
          <dl className="syntax-list">
            {queryFilterHelp.map((entry) => (
              <div key={entry.syntax}>
                <dt>
                  <code>{entry.syntax}</code>
                </dt>
                <dd>{entry.meaning}</dd>
              </div>
            ))}
          </dl>
          <p className="muted">
            Filters are separate words anywhere in the query; the rest is the text searched for. Globs follow rg&apos;s <code>-g</code>: without a <code>/</code> they match the file name at any depth.
          </p>
          <h3 className="subheading">Modes</h3>
          <p className="muted">Literal: the text as typed. Regex: rg&apos;s syntax. Words: every word, ranked by relevance (BM25).</p>
          <h3 className="subheading">Keys</h3>
          <p className="muted">
            <kbd>↓</kbd> from the box into the results, <kbd>↑</kbd> <kbd>↓</kbd> between matches, <kbd>←</kbd> <kbd>→</kbd> collapse or expand a file, <kbd>Alt</kbd>+<kbd>↓</kbd> next file,{' '}
            <kbd>Enter</kbd> open (desktop) or preview (browser), <kbd>Esc</kbd> back to the box; in the box <kbd>Esc</kbd> clears it.
          </p>
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              setOpen(false);
              buttonRef.current?.focus();
            }}
          >
            Close
          </button>
        </div>
      )}
    </div>
  );
}
