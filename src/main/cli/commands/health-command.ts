import { parseArgs } from 'node:util';
import type { HealthReport } from '../../../shared/health';
import type { CliCommand } from '../command';
import { openCliCore } from '../open-core';

export const healthCommand: CliCommand = {
  name: 'health',
  summary: 'Print the health report (memory, background tasks, database pool)',
  usage: `Usage: gitbot health [--db FILE] [--json]

Options:
  --db FILE   SQLite database (default GITBOT_DB, else index.sqlite in the data folder)
  --json      print the report as one JSON object (the same JSON as GET /health)
  --help      show this help`,
  async run(args, io) {
    const { values } = parseArgs({ args, options: { db: { type: 'string' }, json: { type: 'boolean' } }, strict: true, allowPositionals: false });
    const core = openCliCore({ db: values.db, env: io.env, cwd: io.cwd });
    try {
      const result = await core.dispatch('getHealth', {});
      if (!result.ok) {
        io.stderr.write(`gitbot health: ${result.error.message}\n`);
        return 1;
      }
      const report = result.value as HealthReport;
      io.stdout.write(values.json === true ? `${JSON.stringify(report)}\n` : formatHealth(report));
      return 0;
    } finally {
      await core.shutdown();
    }
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
