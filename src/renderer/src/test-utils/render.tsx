import { act, render, type RenderResult } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import type { AppInfo } from '../../../shared/types';
import { ApiProvider } from '../api/api-context';
import { appInfo as defaultAppInfo, type FakeApi } from './fake-api';

/** Renders a panel inside the API provider, as the App does (rerender keeps the provider). */
export function renderWithApi(ui: ReactElement, api: FakeApi, info: AppInfo | null = defaultAppInfo()): RenderResult {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <ApiProvider api={api} appInfo={info}>
      {children}
    </ApiProvider>
  );
  return render(ui, { wrapper });
}

/** Lets one animation frame pass inside act(): what the frame-throttled views (stats, progress, tasks) draw on. */
export async function nextFrame(): Promise<void> {
  await act(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));
}
