// Contract-test support for connectors: provider fixtures served by MSW at the socket level (the outbound
// client's undici sockets bypass MSW's fetch patching), and a runner for a connector's check and actions.
import { HttpRequestInterceptor } from '@mswjs/interceptors/http';
import type { RequestHandler } from 'msw';
import { defineNetwork, InterceptorSource } from 'msw/experimental';
import type { ConnectorDefinition } from '../../src/connectors/sdk/define.ts';
import { checkConnection, runAction } from '../../src/integrations/runtime/invoke.ts';
import type { CredentialSource } from '../../src/integrations/runtime/provider-http.ts';
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
