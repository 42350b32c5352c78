import { parseArgs } from 'node:util';
import { startLoopbackServer } from '../../core/server/loopback-server';
import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { bundleLayout, openCliCore } from '../open-core';
import { parsePort } from '../parse';
import { stderrLogSink } from '../log-sink';

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Serve the dashboard and the API on 127.0.0.1 until interrupted',
  usage: `Usage: gitbot serve [--port N] [--db FILE]

Starts the core and serves the dashboard in your browser. The first line printed is the
dashboard URL with this run's token; every route needs that token.

Options:
  --port N    port on 127.0.0.1 (default GITBOT_PORT, else a free port)
  --db FILE   SQLite database (default GITBOT_DB, else index.sqlite in the data folder)
  --help      show this help`,
  async run(args, io) {
    const { values } = parseArgs({ args, options: { port: { type: 'string' }, db: { type: 'string' } }, strict: true, allowPositionals: false });
    const port = values.port === undefined ? undefined : parsePort(values.port);
    const core = openCliCore({ db: values.db, env: io.env, cwd: io.cwd, logSinks: [stderrLogSink(io.stderr, 'warn')] });
    let server;
    try {
      server = await startLoopbackServer({
        core,
        port: port ?? Number(io.env.GITBOT_PORT ?? 0),
        staticDir: bundleLayout().rendererDir,
      });
    } catch (error) {
      await core.shutdown();
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new UsageError(`port ${port} is already in use`);
      throw error;
    }
    io.stdout.write(`${server.url}\n`);
    core.logger.info(`Serving the dashboard at ${server.origin}`);
    await waitForSignal();
    io.stderr.write('Shutting down...\n');
    await server.dispose();
    await core.shutdown();
    return 0;
  },
};

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
