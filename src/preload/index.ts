/**
 * The preload (out/preload/index.cjs), run sandboxed with context isolation. It exposes one
 * typed object, `window.gitbot`, built by the same createApi as the browser client.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createApi } from '../shared/client';
import { createIpcTransport } from './ipc-transport';

contextBridge.exposeInMainWorld('gitbot', createApi(createIpcTransport(ipcRenderer)));
