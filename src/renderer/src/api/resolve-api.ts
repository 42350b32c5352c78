import { createApi } from '../../../shared/client';
import type { GitbotApi } from '../../../shared/contract';
import { loopbackTransport } from './loopback-transport';
import { takeToken } from './token';

/**
 * The one place that knows which transport carries the API: the Electron preload's bridge
 * when present, the loopback HTTP server otherwise. Every other module receives a GitbotApi.
 */
export function resolveApi(): GitbotApi {
  if (window.gitbot !== undefined) {
    return window.gitbot;
  }
  const token = takeToken(window.location, window.history);
  return createApi(loopbackTransport({ origin: window.location.origin, token }));
}
