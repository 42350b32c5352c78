import type { ConfigSource } from '../../../shared/types';
import { useApi, useAppInfo } from '../api/api-context';
import { useRequest } from '../hooks/use-request';
import { humaneSettingValue } from '../lib/setting-value';
import { Badge, EmptyState, ErrorState, LoadingState, Panel, type BadgeTone } from './Panel';

const sourceTone: Readonly<Record<ConfigSource, BadgeTone>> = { default: 'neutral', env: 'info', '.env': 'info', cli: 'warning' };

/** The effective configuration and where each value came from. */
export function SettingsPanel() {
  const api = useApi();
  const appInfo = useAppInfo();
  const config = useRequest(() => api.getConfig({}));

  let body;
  if (config.value !== null && config.value.entries.length > 0) {
    body = (
      <div className="table-scroll">
        <table className="table table-settings" aria-label="Settings">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Value</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {config.value.entries.map((entry) => (
              <tr key={entry.name}>
                <td>
                  <span className="mono setting-name">{entry.name}</span>
                  <span className="setting-description">{entry.description}</span>
                </td>
                <td className="mono num">
                  <HumaneValue text={humaneSettingValue(entry, typeof window === 'undefined' ? null : window.location.port).text} raw={humaneSettingValue(entry, null).raw} />
                </td>
                <td>
                  <Badge tone={sourceTone[entry.source]}>{entry.source}</Badge>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  } else if (config.status === 'loading') {
    body = <LoadingState label="Loading settings…" />;
  } else if (config.status === 'error') {
    body = <ErrorState error={config.error} onRetry={config.reload} />;
  } else {
    body = <EmptyState title="No settings reported" />;
  }

  return (
    <Panel title="Settings" className="area-settings" meta={appInfo !== null ? `v${appInfo.version} · ${appInfo.runtime}` : undefined}>
      {appInfo !== null && (
        <dl className="facts facts-paths">
          <div>
            <dt>Database</dt>
            <dd className="mono">{appInfo.dbPath}</dd>
          </div>
          <div>
            <dt>Data folder</dt>
            <dd className="mono">{appInfo.dataDir}</dd>
          </div>
        </dl>
      )}
      {body}
    </Panel>
  );
}

/** The readable value, with the raw one (as set in the environment) in small type when it differs. */
function HumaneValue({ text, raw }: { readonly text: string; readonly raw: string | null }) {
  return (
    <>
      {text}
      {raw !== null && <span className="setting-raw muted"> {raw}</span>}
    </>
  );
}
