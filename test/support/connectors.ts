// Contract-test support for connectors: provider fixtures served by MSW at the socket level (the outbound
// client's undici sockets bypass MSW's fetch patching), and a runner for a connector's check and actions.
import { HttpRequestInterceptor } from '@mswjs/interceptors/http';
import type { RequestHandler } from 'msw';
import { defineNetwork, InterceptorSource } from 'msw/experimental';
import type { ConnectorDefinition } from '../../src/connectors/sdk/define.ts';
import { paginate } from '../../src/connectors/sdk/paginate.ts';
import type { MetricPoint, SyncContext, SyncDefinition } from '../../src/connectors/sdk/sync.ts';
import { checkConnection, runAction } from '../../src/integrations/runtime/invoke.ts';
import { createProviderHttp, type CredentialSource } from '../../src/integrations/runtime/provider-http.ts';
import { createOutboundClient, createSsrfGuard, type OutboundClient } from '../../src/platform/outbound/index.ts';

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

/**
 * Serves `handlers` to every outbound call while enabled; unhandled requests fail the call.
 * `requests` records what reached a handler, for asserting the exact request a connector sent.
 */
export function provider(handlers: RequestHandler[]) {
  const requests: RecordedRequest[] = [];
  const network = defineNetwork({
    sources: [new InterceptorSource({ interceptors: [new HttpRequestInterceptor()] })],
    handlers,
    onUnhandledFrame: 'error',
    context: { quiet: true },
  });
  network.events.on('request:start', async ({ request }: { request: Request }) => {
    requests.push({ method: request.method, url: new URL(request.url), headers: request.headers, body: await request.clone().text() });
  });
  return {
    requests,
    enable: () => network.enable(),
    disable: () => network.disable(),
    reset: () => {
      requests.length = 0;
    },
  };
}

/** Runs a connector as the hub would, with fixed credentials, a fake clock (no real waits) and no DNS. */
export function connectorRunner(
  connector: ConnectorDefinition,
  options: { config?: unknown; credentials?: Record<string, string>; credentialSource?: CredentialSource } = {},
) {
  const sleeps: number[] = [];
  // The resolver refuses everything: intercepted sockets never reach DNS, and nothing else may.
  const guard = createSsrfGuard({ resolve: async () => [{ address: '10.0.0.1', family: 4 }] });
  const outbound: OutboundClient = createOutboundClient({ guard, clock: { now: () => Date.now(), sleep: async (ms) => void sleeps.push(ms) } });
  const config = connector.config.parse(options.config ?? {});
  const target = {
    outbound,
    connector,
    config,
    credentials: options.credentialSource ?? { current: async () => options.credentials ?? {} },
    workspaceId: '00000000-0000-7000-8000-000000000001',
    integrationId: '00000000-0000-7000-8000-000000000002',
  };
  return {
    sleeps,
    check: () => checkConnection(target),
    run: (action: string, input: unknown) => runAction(target, action, input),
    close: () => outbound.close(),
  };
}

/**
 * Runs one of a connector's syncs against the fixtures with the real ProviderHttp and paginator (no sync
 * engine, no database) and keeps what the sync handed to its context, in order, for exact assertions.
 * Records are validated against the sync's schema as the engine does; a record that fails throws.
 * `run()` may be called again to continue from the checkpoint the previous run saved (a retry or the next run).
 */
export function syncRunner(
  connector: ConnectorDefinition,
  syncName: string,
  options: {
    config?: unknown;
    credentials?: Record<string, string>;
    credentialSource?: CredentialSource;
    /** A checkpoint saved by an earlier run. */
    checkpoint?: unknown;
    fullSync?: boolean;
    lastSuccessAt?: Date | null;
  } = {},
) {
  const sync = connector.syncs?.find((candidate) => candidate.name === syncName) as SyncDefinition | undefined;
  if (!sync) throw new Error(`${connector.id} has no sync ${syncName}`);
  const sleeps: number[] = [];
  const guard = createSsrfGuard({ resolve: async () => [{ address: '10.0.0.1', family: 4 }] });
  const outbound: OutboundClient = createOutboundClient({ guard, clock: { now: () => Date.now(), sleep: async (ms) => void sleeps.push(ms) } });
  const config = connector.config.parse(options.config ?? {});
  const credentials = options.credentialSource ?? { current: async () => options.credentials ?? {} };
  const workspaceId = '00000000-0000-7000-8000-000000000001';
  const integrationId = '00000000-0000-7000-8000-000000000002';
  const seen = new Map<string, string>();
  const state = {
    checkpoint: options.checkpoint,
    /** Every record upserted, in order, as validated by the schema. */
    records: [] as unknown[],
    /** The ids of each upsert batch, to assert batching follows pages. */
    batches: [] as string[][],
    deleted: [] as string[],
    metrics: [] as MetricPoint[],
    checkpoints: [] as unknown[],
    progress: [] as Array<{ processed: number; total?: number; step?: string }>,
  };
  async function run(signal: AbortSignal = new AbortController().signal): Promise<void> {
    const http = createProviderHttp({ outbound, connector, config, credentials, workspaceId, integrationId, operation: `sync:${sync!.name}`, signal });
    const ctx: SyncContext = {
      config,
      credentials: await credentials.current(),
      http,
      signal,
      integrationId,
      workspaceId,
      fullSync: options.fullSync ?? options.checkpoint === undefined,
      lastSuccessAt: options.lastSuccessAt ?? null,
      checkpoint: {
        // Like the engine: nothing saved, or a cleared checkpoint (null), reads as undefined.
        get: async <T>() => (state.checkpoint === undefined || state.checkpoint === null ? undefined : (JSON.parse(JSON.stringify(state.checkpoint)) as T)),
        save: async (value) => {
          // Stored as JSON, as the engine stores it: later changes to the object do not reach the saved copy.
          const stored: unknown = value === undefined ? undefined : JSON.parse(JSON.stringify(value));
          state.checkpoint = stored;
          state.checkpoints.push(stored);
        },
      },
      records: {
        upsert: async (batch) => {
          const counts = { added: 0, updated: 0, unchanged: 0 };
          const ids: string[] = [];
          for (const raw of batch) {
            const record = sync!.schema.parse(raw);
            const id = sync!.idOf(record);
            const content = JSON.stringify(record);
            const before = seen.get(id);
            if (before === undefined) counts.added += 1;
            else if (before === content) counts.unchanged += 1;
            else counts.updated += 1;
            seen.set(id, content);
            ids.push(id);
            state.records.push(record);
          }
          state.batches.push(ids);
          return counts;
        },
        markDeleted: async (ids) => {
          state.deleted.push(...ids);
          return ids.length;
        },
      },
      metrics: {
        record: async (points) => {
          state.metrics.push(...points);
        },
      },
      progress: async (processed, total, step) => {
        state.progress.push({ processed, ...(total !== undefined ? { total } : {}), ...(step !== undefined ? { step } : {}) });
      },
      paginate: (request, rule, paginateOptions) => paginate(http, request, rule, { ...paginateOptions, signal }),
    };
    await sync!.run(ctx);
  }
  return { state, sleeps, sync, run, close: () => outbound.close() };
}

