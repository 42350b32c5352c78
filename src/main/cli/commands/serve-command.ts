import { parseArgs } from 'node:util';
import { startLoopbackServer } from '../../core/server/loopback-server';
import { AppError } from '../../core/base/errors';
import type { CliCommand } from '../command';
import { bundleLayout } from '../bundle-layout';
import { openCliCore } from '../open-core';
import { parsePort } from '../parse';
import { stderrLogSink } from '../log-sink';

export const serveCommand: CliCommand = {
  name: 'serve',
  usage: `Usage: gitbot serve [--port N] [--db FILE]

Starts the core and serves the dashboard in your browser. The first line printed is the
dashboard URL with this run's token; every route needs that token.

Options:
  --port N    port on 127.0.0.1 (default GITBOT_PORT, else a free port)
  --db FILE   SQLite database (default GITBOT_DB, else index.sqlite in the data folder)
  --help      show this help`,
  async run(args, io) {
    const { values } = parseArgs({ args, options: { port: { type: 'string' }, db: { type: 'string' } }, strict: true, allowPositionals: false });
    const overrides = values.port === undefined ? {} : { GITBOT_PORT: String(parsePort(values.port)) };
    const core = openCliCore({ db: values.db, env: io.env, cwd: io.cwd, overrides, logSinks: [stderrLogSink(io.stderr, 'warn')] });
    const port = core.options.config.values.GITBOT_PORT;
    let server;
    try {
      server = await startLoopbackServer({ core, port, staticDir: bundleLayout().rendererDir });
    } catch (error) {
      await core.shutdown();
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new AppError('bad_request', `port ${port} on 127.0.0.1 is already in use (set --port or GITBOT_PORT, 0 picks a free one)`);
      }
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
