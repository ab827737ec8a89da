// Prometheus metrics: HTTP latency by route and status, and job counts by type and state (read at scrape time).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { OutboundOperation } from '../outbound/contracts.ts';

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** Set by the hub once the job engine exists, so scrapes can read current counts. */
  setJobCountsSource(read: () => Promise<{ type: string; state: string; count: number }[]>): void;
  counter(name: string, help: string, labelNames?: string[]): Counter<string>;
  /** Counts and times one outbound call (providers, webhooks, websites) by its breaker key and outcome. */
  recordOutbound(operation: OutboundOperation): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'switchboard_process_' });
  const httpDuration = new Histogram({
    name: 'switchboard_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  let readJobCounts: (() => Promise<{ type: string; state: string; count: number }[]>) | null = null;
  new Gauge({
    name: 'switchboard_jobs',
    help: 'Jobs in the job table by type and state.',
    labelNames: ['type', 'state'] as const,
    registers: [registry],
    async collect() {
      if (!readJobCounts) return;
      this.reset();
      for (const row of await readJobCounts()) this.set({ type: row.type, state: row.state }, row.count);
    },
  });
  new Gauge({
    name: 'switchboard_queue_depth',
    help: 'Jobs waiting to run (created or retry) by type.',
    labelNames: ['type'] as const,
    registers: [registry],
    async collect() {
      if (!readJobCounts) return;
      this.reset();
      const depth = new Map<string, number>();
      for (const row of await readJobCounts()) {
        if (row.state === 'created' || row.state === 'retry') depth.set(row.type, (depth.get(row.type) ?? 0) + row.count);
      }
      for (const [type, count] of depth) this.set({ type }, count);
    },
  });
  const outboundDuration = new Histogram({
    name: 'switchboard_outbound_request_duration_seconds',
    help: 'Outbound calls (all attempts of one call) by target and outcome: ok, or the error code.',
    labelNames: ['target', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const counters = new Map<string, Counter<string>>();
  return {
    registry,
    httpDuration,
    setJobCountsSource(read) {
      readJobCounts = read;
    },
    recordOutbound(operation) {
      outboundDuration.observe(
        { target: operation.breakerKey ?? 'other', outcome: operation.errorCode ?? 'ok' },
        operation.latencyMs / 1000,
      );
    },
    counter(name, help, labelNames = []) {
      let counter = counters.get(name);
      if (!counter) {
        counter = new Counter({ name, help, labelNames, registers: [registry] });
        counters.set(name, counter);
      }
      return counter;
    },
  };
}
