/// <reference types="vite/client" />
import type { GitbotApi } from '../../shared/contract';

declare global {
  interface Window {
    /** The typed bridge the Electron preload exposes; absent in a browser. */
    gitbot?: GitbotApi;
  }
}

export {};
