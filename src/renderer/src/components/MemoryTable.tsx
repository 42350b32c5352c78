import { useState } from 'react';
import { formatMegabytes, formatPercent } from '../lib/format';
import { kindLabel, memoryRows, sortMemoryRows, TREND_SECONDS, type MemorySortKey } from '../lib/memory-rows';
import type { StatsStore } from '../lib/stats-store';
import { useLatestSample } from '../hooks/use-stats';

const columns: readonly { readonly key: MemorySortKey; readonly label: string; readonly numeric: boolean }[] = [
  { key: 'name', label: 'Name', numeric: false },
  { key: 'kind', label: 'Kind', numeric: false },
  { key: 'bytes', label: 'Memory', numeric: true },
  { key: 'share', label: 'Share', numeric: true },
  { key: 'trend', label: `Trend (${TREND_SECONDS} s)`, numeric: true },
];

/** Every process and thread in one sortable table, as a task manager shows them; a row picks the charts' source. */
export function MemoryTable({ store, selected, onSelect }: { readonly store: StatsStore; readonly selected: string; readonly onSelect: (key: string) => void }) {
  const sample = useLatestSample(store);
  const [sortKey, setSortKey] = useState<MemorySortKey>('bytes');
  const [descending, setDescending] = useState(true);
  if (sample === null) {
    return null;
  }
  const rows = sortMemoryRows(memoryRows(sample, store), sortKey, descending);
  const sortBy = (key: MemorySortKey): void => {
    if (key === sortKey) {
      setDescending((value) => !value);
    } else {
      setSortKey(key);
      setDescending(key !== 'name' && key !== 'kind');
    }
  };
  return (
    <div className="table-scroll memory-table-wrap">
      <table className="table memory-table" aria-label="Processes and threads">
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.key} scope="col" className={column.numeric ? 'num-cell' : undefined} aria-sort={column.key === sortKey ? (descending ? 'descending' : 'ascending') : 'none'}>
                <button type="button" className="sort-button" onClick={() => sortBy(column.key)}>
                  {column.label}
                  <span aria-hidden="true">{column.key === sortKey ? (descending ? ' ↓' : ' ↑') : ''}</span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} className={row.key === selected ? 'row-active' : undefined}>
              <td className="mono">
                {row.kind === 'ended' ? (
                  `${row.name} (${row.count ?? 0})`
                ) : (
                  // The name is the button that charts the row: reachable by keyboard, no extra column.
                  <button type="button" className="link-button" aria-pressed={row.key === selected} aria-label={`Chart ${row.name}`} onClick={() => onSelect(row.key)}>
                    {row.name}
                  </button>
                )}
              </td>
              <td>
                {kindLabel(row.kind)}
                {row.metric !== '' && <span className="muted"> · {row.metric.toLowerCase()}</span>}
              </td>
              <td className="num num-cell">{row.bytes === null ? '–' : formatMegabytes(row.bytes)}</td>
              <td className="num num-cell">{row.share === null ? '–' : formatPercent(row.share)}</td>
              <td className="num num-cell">{row.trend === null ? '–' : `${row.trend >= 0 ? '+' : '−'}${formatMegabytes(Math.abs(row.trend))}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
