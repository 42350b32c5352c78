import { useState } from 'react';
import type { PoolStatus } from '../../../shared/health';
import type { AlertEvent } from '../../../shared/types';
import { useApi } from '../api/api-context';
import { useEvent } from '../hooks/use-event';
import { useNow } from '../hooks/use-now';
import { useRequest } from '../hooks/use-request';
import { useLatestSample } from '../hooks/use-stats';
import { formatCount, formatMilliseconds, formatPercent } from '../lib/format';
import type { StatsStore } from '../lib/stats-store';
import { ErrorState, LoadingState, Panel } from './Panel';

/** The share of DATABASE_MAX_CONNECTIONS checked out at which the warning shows: the pool's and the health report's rule (18/20). */
export const POOL_WARNING_RATIO = 0.9;
/** How long a pool_usage alert stays visible after it fired. */
const ALERT_VISIBLE_MS = 60_000;

/** Connections checked out over DATABASE_MAX_CONNECTIONS (overflow can take it past 100%). */
export function poolUsage(pool: PoolStatus): number {
  return pool.max_connections > 0 ? pool.checked_out / pool.max_connections : 0;
}

/** The SQLite connection pool: checked out, idle, overflow and waiting against its limits. */
export function PoolPanel({ store }: { readonly store: StatsStore }) {
  const api = useApi();
  const initial = useRequest(() => api.getPoolStatus({}));
  const latest = useLatestSample(store);
  const [alert, setAlert] = useState<AlertEvent | null>(null);
  const now = useNow(5000);
  useEvent('alert', (event) => {
    if (event.kind === 'pool_usage') {
      setAlert(event);
    }
  });

  const pool = latest?.pool ?? initial.value;
  if (pool === null) {
    return (
      <Panel title="Database pool" className="area-pool">
        {initial.status === 'error' ? <ErrorState error={initial.error} onRetry={initial.reload} /> : <LoadingState label="Loading pool status…" />}
      </Panel>
    );
  }

  const usage = poolUsage(pool);
  const alertVisible = alert !== null && now - alert.time < ALERT_VISIBLE_MS;
  const warning = usage >= POOL_WARNING_RATIO || alertVisible;
  const capacity = pool.max_connections + pool.max_overflow;

  return (
    <Panel title="Database pool" className="area-pool" meta={`${formatPercent(usage)} in use`}>
      {warning && (
        <p className="warning" role="alert">
          {alertVisible && alert !== null
            ? alert.message
            : `${pool.checked_out}/${pool.max_connections} connections checked out (${formatPercent(usage)}; warning at ${formatPercent(POOL_WARNING_RATIO)})`}
        </p>
      )}
      <div className="meters">
        <Meter label="Checked out" value={pool.checked_out} limit={capacity} />
        <Meter label="Idle" value={pool.idle} limit={pool.max_connections} />
        <Meter label="Overflow" value={pool.overflow} limit={pool.max_overflow} />
        <Meter label="Waiting" value={pool.waiting} limit={null} />
      </div>
      <dl className="facts">
        <div>
          <dt>Acquire wait p50 / p95</dt>
          <dd className="num">
            {formatMilliseconds(pool.acquire_wait_p50_ms)} / {formatMilliseconds(pool.acquire_wait_p95_ms)}
          </dd>
        </div>
        <div>
          <dt>Created / recycled</dt>
          <dd className="num">
            {formatCount(pool.created)} / {formatCount(pool.recycled)}
          </dd>
        </div>
        <div>
          <dt>Timeouts</dt>
          <dd className="num">{formatCount(pool.timeouts)}</dd>
        </div>
        <div>
          <dt>Pre-ping failures</dt>
          <dd className="num">{formatCount(pool.pre_ping_failures)}</dd>
        </div>
        <div>
          <dt>Failed opens</dt>
          <dd className="num">{formatCount(pool.create_failures)}</dd>
        </div>
      </dl>
    </Panel>
  );
}

function Meter({ label, value, limit }: { readonly label: string; readonly value: number; readonly limit: number | null }) {
  const ratio = limit !== null && limit > 0 ? Math.min(1, value / limit) : 0;
  const tone = ratio >= POOL_WARNING_RATIO ? 'meter-danger' : ratio >= 0.7 ? 'meter-warning' : '';
  return (
    <div className={`meter ${tone}`}>
      <div className="meter-head">
        <span>{label}</span>
        <span className="num">
          {formatCount(value)}
          {limit !== null && <span className="muted"> / {formatCount(limit)}</span>}
        </span>
      </div>
      <div className="meter-track" aria-hidden="true">
        <div className="meter-fill" style={{ width: `${Math.round(ratio * 100)}%` }} />
      </div>
    </div>
  );
}
