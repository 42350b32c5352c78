import type { CliCommand, CommandEntry } from '../command';

const entry = (name: string, summary: string, load: () => Promise<CliCommand>): CommandEntry => ({ name, summary, load });

/** Every `gitbot` command, in the order `gitbot --help` lists them; each module loads on use. */
export const commands: readonly CommandEntry[] = [
  entry('serve', 'Serve the dashboard and the API on 127.0.0.1 until interrupted', async () => (await import('./serve-command')).serveCommand),
  entry('index', 'Index a folder (incrementally) into the database', async () => (await import('./index-command')).indexCommand),
  entry('search', 'Search the index: literal text (default), a regex, or ranked words', async () => (await import('./search-command')).searchCommand),
  entry('health', 'Print the health report (memory, background tasks, database pool)', async () => (await import('./health-command')).healthCommand),
  entry('remove', 'Remove a folder from the index (the folder itself is not touched)', async () => (await import('./remove-command')).removeCommand),
];
