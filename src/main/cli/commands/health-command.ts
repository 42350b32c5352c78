import { parseArgs } from 'node:util';
import type { HealthReport } from '../../../shared/health';
import type { CliCommand } from '../command';
import { readOnlyHealth } from '../read-only-health';

export const healthCommand: CliCommand = {
  name: 'health',
  usage: `Usage: gitbot health [--db FILE] [--json]

Options:
  --db FILE   SQLite database (default GITBOT_DB, else index.sqlite in the data folder)
  --json      print the report as one JSON object (the same JSON as GET /health)
  --help      show this help`,
  run(args, io) {
    const { values } = parseArgs({ args, options: { db: { type: 'string' }, json: { type: 'boolean' } }, strict: true, allowPositionals: false });
    // One shot: no core, pool or thread; the database is only read (see readOnlyHealth).
    const report: HealthReport = readOnlyHealth({ db: values.db, env: io.env, cwd: io.cwd });
    io.stdout.write(values.json === true ? `${JSON.stringify(report)}\n` : formatHealth(report));
    return Promise.resolve(0);
  },
};

function formatHealth(report: HealthReport): string {
  const { memory, background_tasks: tasks, database_pool: pool } = report;
  const lines = [
    `status: ${report.status}${report.reasons.length > 0 ? ` (${report.reasons.join('; ')})` : ''}`,
    `memory: rss ${memory.rss_mb} MB, vms ${memory.vms_mb} MB, ${memory.percent}% of system, heap ${memory.heap_used_mb}/${memory.heap_total_mb} MB (threshold ${memory.threshold_mb} MB)`,
    `tasks: ${tasks.active_tasks} active, ${tasks.completed_tasks} completed, ${tasks.failed_tasks} failed, ${tasks.cancelled_tasks} cancelled (${tasks.total_tasks} total)`,
    `pool: ${pool.checked_out}/${pool.max_connections} checked out, ${pool.idle} idle, ${pool.overflow} overflow, ${pool.waiting} waiting`,
  ];
  return `${lines.join('\n')}\n`;
}
