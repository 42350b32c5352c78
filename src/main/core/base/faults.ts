import type { HealthReport } from '../../../shared/health';

/** A part of the core that is not working as it should, and what the user can do about it. */
export interface Fault {
  /** Stable key: one fault per source (`stats_sampler`, `database`). */
  readonly source: string;
  readonly severity: 'degraded' | 'unhealthy';
  /** The sentence health shows, way out included. */
  readonly message: string;
}

/**
 * Faults that are not memory or pool figures: a sampler that failed, a corrupt database.
 * Whoever notices one reports it here; whoever sees it work again clears it; the health
 * report lists what is open.
 */
export class FaultRegister {
  private readonly open = new Map<string, Fault>();

  /** Records (or replaces) the fault of `fault.source`. */
  report(fault: Fault): void {
    this.open.set(fault.source, fault);
  }

  clear(source: string): void {
    this.open.delete(source);
  }

  list(): readonly Fault[] {
    return [...this.open.values()];
  }

  /** The report with the open faults added to its reasons and its status made no better than they allow. */
  applyTo(report: HealthReport): HealthReport {
    const faults = this.list();
    if (faults.length === 0) {
      return report;
    }
    const rank = { healthy: 0, degraded: 1, unhealthy: 2 } as const;
    const worst = faults.reduce<HealthReport['status']>((status, fault) => (rank[fault.severity] > rank[status] ? fault.severity : status), report.status);
    return { ...report, status: worst, reasons: [...report.reasons, ...faults.map((fault) => fault.message)] };
  }
}
