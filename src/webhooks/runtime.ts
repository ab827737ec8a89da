// The webhook capability's per-hub services, built once on first use and shared by its routes and jobs:
// the delivery client, the batched delivery store, the per-endpoint slots and a cache of opened secrets.
import type { HubContext } from '../platform/hub-context.ts';
import { createOutboundClient, createSsrfGuard, type Clock as OutboundClock, type OutboundClient } from '../platform/outbound/index.ts';
import { createEndpointSlots, type EndpointSlots } from './delivery/endpoint-slots.ts';
import { createDeliveryStore, type DeliveryStore, type EndpointForDelivery } from './delivery/store.ts';
import { headersAad, secretAad } from './endpoints/secrets.ts';

export interface WebhookRuntime {
  hub: HubContext;
  /** Milliseconds since the epoch on the job layer's clock (pg-boss's TestClock in tests). */
  now(): number;
  /**
   * Deliveries have a client of their own: its breakers run on the job clock, like the retry schedule
   * they feed, and its connection pool is apart from provider calls, so a delivery flood cannot starve them.
   */
  client: OutboundClient;
  store: DeliveryStore;
  slots: EndpointSlots;
  /** The secrets to sign with: the current one, and the previous one while a rotation's overlap lasts. */
  signingSecrets(endpoint: EndpointForDelivery, now: number): Promise<string[]>;
  customHeaders(endpoint: EndpointForDelivery): Promise<Record<string, string>>;
  /** Keeps track of an attempt that outlives its job, so closing waits for it; its failure is logged. */
  inBackground(work: Promise<unknown>): void;
  /** Waits for background attempts, then closes the delivery client. */
  close(): Promise<void>;
}

const runtimes = new WeakMap<HubContext['jobs'], WebhookRuntime>();
const OPENED_CACHE_SIZE = 2000;

/** The runtime of this hub (keyed by its job engine, which exists once per hub). */
export function webhookRuntime(hub: HubContext): WebhookRuntime {
  let runtime = runtimes.get(hub.jobs);
  if (!runtime) {
    runtime = createRuntime(hub);
    runtimes.set(hub.jobs, runtime);
  }
  return runtime;
}

/** Closes the delivery client's connections, if the runtime was ever built. */
export async function closeWebhookRuntime(hub: HubContext): Promise<void> {
  await runtimes.get(hub.jobs)?.close();
  runtimes.delete(hub.jobs);
}

function createRuntime(hub: HubContext): WebhookRuntime {
  const jobClock = hub.jobs.clock;
  const clock: OutboundClock = {
    now: () => jobClock.now(),
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const timer = setTimeout(resolve, Math.max(0, ms));
        signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
      }),
  };
  const client = createOutboundClient({
    guard: createSsrfGuard({ allowPrivateNetworks: hub.config.allowPrivateNetworks }),
    sharedState: hub.sharedState,
    clock,
    onOperation: (operation) => hub.metrics.recordOutbound(operation),
    breaker: { consecutiveFailures: 5, cooldownMs: 30_000 },
  });
  const store = createDeliveryStore({
    db: hub.db,
    jobs: hub.jobs,
    now: clock.now,
    disableAfterMs: hub.config.webhookDisableAfterDays * 86_400_000,
    concurrency: hub.database.kind === 'pglite' ? 1 : 2,
  });

  // Opened secrets by ciphertext: a rotation writes a new ciphertext, so entries never go stale.
  const opened = new Map<string, Promise<unknown>>();
  const open = <T>(ciphertext: string, decrypt: () => Promise<T>): Promise<T> => {
    let pending = opened.get(ciphertext) as Promise<T> | undefined;
    if (!pending) {
      if (opened.size >= OPENED_CACHE_SIZE) opened.delete(opened.keys().next().value!);
      pending = decrypt();
      pending.catch(() => opened.delete(ciphertext));
      opened.set(ciphertext, pending);
    }
    return pending;
  };

  const background = new Set<Promise<unknown>>();

  return {
    hub,
    now: clock.now,
    client,
    store,
    slots: createEndpointSlots(),
    async signingSecrets(endpoint, now) {
      if (!endpoint.secret) throw new Error(`Endpoint ${endpoint.id} has no signing secret`);
      const aad = secretAad(endpoint.id);
      const secrets = [await open(endpoint.secret, () => hub.vault.decryptString(endpoint.workspaceId, endpoint.secret!, aad))];
      if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt.getTime() > now) {
        secrets.push(await open(endpoint.previousSecret, () => hub.vault.decryptString(endpoint.workspaceId, endpoint.previousSecret!, aad)));
      }
      return secrets;
    },
    async customHeaders(endpoint) {
      if (!endpoint.headers) return {};
      return open(endpoint.headers, () =>
        hub.vault.decryptObject<Record<string, string>>(endpoint.workspaceId, endpoint.headers!, headersAad(endpoint.id)),
      );
    },
    inBackground(work) {
      const tracked = work
        .catch((error: unknown) => hub.logger.error({ err: error }, 'a webhook attempt finishing in the background could not be recorded; its stand-in job repeats it'))
        .finally(() => background.delete(tracked));
      background.add(tracked);
    },
    async close() {
      await Promise.allSettled([...background]);
      await client.close();
    },
  };
}
