import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { resolveApi } from './api/resolve-api';
import { App } from './App';
import { StatsStore } from './lib/stats-store';
import { installTestHook } from './testing/e2e-hook';
import './styles/app.css';

// Read before resolveApi() rewrites the address (it removes the token, keeps the rest).
const search = window.location.search;
const api = resolveApi();
const store = new StatsStore();
installTestHook(store, search);

const root = document.getElementById('root');
if (root === null) {
  throw new Error('index.html has no #root element');
}
createRoot(root).render(
  <StrictMode>
    <App api={api} store={store} />
  </StrictMode>,
);
