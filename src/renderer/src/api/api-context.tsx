import { createContext, useContext, type ReactNode } from 'react';
import type { AppInfo } from '../../../shared/types';
import type { GitbotApi } from '../../../shared/contract';

const ApiContext = createContext<GitbotApi | null>(null);
const AppInfoContext = createContext<AppInfo | null>(null);

/** Provides the API (whatever its transport) and the app info to every panel. */
export function ApiProvider({ api, appInfo, children }: { api: GitbotApi; appInfo: AppInfo | null; children: ReactNode }) {
  return (
    <ApiContext.Provider value={api}>
      <AppInfoContext.Provider value={appInfo}>{children}</AppInfoContext.Provider>
    </ApiContext.Provider>
  );
}

/** The typed API of the core. */
export function useApi(): GitbotApi {
  const api = useContext(ApiContext);
  if (api === null) {
    throw new Error('useApi() needs an <ApiProvider> above it');
  }
  return api;
}

/** What the runtime can do (folder dialog, open in editor); null while loading. */
export function useAppInfo(): AppInfo | null {
  return useContext(AppInfoContext);
}
