import { useState } from 'react';
import type { SearchMatch } from '../../../shared/types';
import { useApi, useAppInfo } from '../api/api-context';
import { usePreview } from '../hooks/use-file-lines';
import { highlightSegments, joinRepoPath } from '../lib/highlight';
import { EmptyState, ErrorState, LoadingState } from '../components/Panel';
import { copyText } from './copy-text';
import { repositoryName } from './result-groups';

/** The lines around the selected match, read from the index, with what can be done with it. */
export function PreviewPane({ match, onOpen }: { readonly match: SearchMatch | null; readonly onOpen: (match: SearchMatch) => void }) {
  const api = useApi();
  const appInfo = useAppInfo();
  const preview = usePreview(api, match);
  const [copied, setCopied] = useState<string | null>(null);

  if (match === null) {
    return (
      <section className="preview" aria-label="Preview">
        <EmptyState title="No match selected" hint="Select a match (click, or the arrow keys) to see the lines around it." />
      </section>
    );
  }
  const location = `${match.path}:${match.line}`;
  const absolute = joinRepoPath(match.repo, match.path);
  const copy = async (): Promise<void> => {
    const done = await copyText(location);
    setCopied(done ? `Copied ${location}` : `Could not copy; select it: ${location}`);
  };
  return (
    <section className="preview" aria-label="Preview">
      <header className="preview-header">
        <p className="preview-title mono" title={absolute}>
          <span className="result-repo">{repositoryName(match.repo)}</span> {location}
        </p>
        <div className="preview-actions">
          <button type="button" className="button button-small" onClick={() => void copy()}>
            Copy path:line
          </button>
          {appInfo?.canOpenInEditor === true ? (
            <button type="button" className="button button-small" onClick={() => onOpen(match)}>
              Open in editor
            </button>
          ) : match.pathBytes === undefined ? (
            <a className="button button-small" href={`vscode://file${absolute.startsWith('/') ? '' : '/'}${absolute}:${match.line}`}>
              Open in VS Code
            </a>
          ) : (
            // A link carries the lossy name, which may be another file's (or none): no link.
            <span className="muted">Not openable in an editor: the name is not valid UTF-8</span>
          )}
        </div>
      </header>
      <p className="visually-hidden" role="status">
        {copied ?? ''}
      </p>
      {copied !== null && (
        <p className="muted preview-note" aria-hidden="true">
          {copied}
        </p>
      )}
      {preview.status === 'loading' && <LoadingState label="Reading lines…" />}
      {preview.status === 'error' && <ErrorState error={preview.error} />}
      {preview.status === 'ready' && (
        <ol className="preview-lines mono" aria-label={`Lines around ${location}`}>
          {preview.lines.map((line) => (
            <li key={line.line} className={line.line === match.line ? 'preview-line preview-line-match' : 'preview-line'} aria-current={line.line === match.line ? 'true' : undefined}>
              <span className="line-number" aria-hidden="true">
                {line.line}
              </span>
              <code>
                {line.line === match.line
                  ? highlightSegments(match.text, match.ranges, 2000, 2000).map((segment, index) => (segment.match ? <mark key={index}>{segment.text}</mark> : <span key={index}>{segment.text}</span>))
                  : line.text}
                {line.cut === true && line.line !== match.line ? '…' : ''}
              </code>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
