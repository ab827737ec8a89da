// Test support: a hub with one integration per AI provider, each pointing at its own fake upstream.
import type { Backend } from '../../../test/support/databases.ts';
import { startTestHub, type TestHub } from '../../../test/support/test-hub.ts';
import { aiRuntime, type AiRuntime } from '../runtime.ts';
import { startFakeUpstream, type Dialect, type FakeUpstream } from './fake-upstreams.ts';

export interface AiTestHub {
  t: TestHub;
  rt: AiRuntime;
  fakes: Record<Dialect, FakeUpstream>;
  integrationIds: Record<Dialect, string>;
  stop(): Promise<void>;
}

export const DIALECTS: Dialect[] = ['glm', 'openai', 'anthropic', 'mistral'];

export async function startAiTestHub(backend: Backend, env: Record<string, string> = {}): Promise<AiTestHub> {
  const fakes = Object.fromEntries(await Promise.all(DIALECTS.map(async (dialect) => [dialect, await startFakeUpstream(dialect)] as const))) as Record<Dialect, FakeUpstream>;
  const t = await startTestHub(backend, { env: { SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8', ...env } });
  const integrationIds = {} as Record<Dialect, string>;
  for (const dialect of DIALECTS) {
    const response = await t.inject({
      method: 'POST',
      url: '/api/v1/integrations',
      headers: t.auth,
      payload: { connectorId: dialect, name: `${dialect} test`, config: { baseUrl: fakes[dialect].baseUrl }, credentials: { apiKey: fakes[dialect].apiKey } },
    });
    if (response.statusCode !== 201) throw new Error(`connecting ${dialect} failed: ${response.statusCode} ${response.body}`);
    integrationIds[dialect] = response.json().id;
    fakes[dialect].reset();
  }
  const rt = await aiRuntime(t.hub.context);
  return {
    t,
    rt,
    fakes,
    integrationIds,
    async stop() {
      await t.stop();
      await Promise.all(Object.values(fakes).map((fake) => fake.close()));
    },
  };
}

/** Parses an SSE body into its data payloads (`[DONE]` kept as the string). */
export function sseData(body: string): unknown[] {
  return body
    .split('\n\n')
    .map((block) => block.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n'))
    .filter((data) => data !== '')
    .map((data) => (data === '[DONE]' ? data : JSON.parse(data)));
}
