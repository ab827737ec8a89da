// Contract test for the Runway connector: Bearer key and X-Runway-Version on every call, the exact
// image_to_video body, task polling through its states, cancel, the organization as the connection check,
// and Runway's `{ error, issues }` bodies and 429s.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider } from '../../../../test/support/connectors.ts';
import runway from './index.ts';

const KEY = 'key_8c1f0d9e2b7a4c3d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f';
const BASE = 'https://api.dev.runwayml.com';
const TASK = '17f20503-6c24-4c16-946b-35dbbce2af2f';
const IMAGE = 'https://images.example.com/bunny.jpg';

const organization = {
  tier: {
    maxMonthlyCreditSpend: 100000,
    models: { gen4_turbo: { maxConcurrentGenerations: 2, maxDailyGenerations: 200 }, 'veo3.1': { maxConcurrentGenerations: 1, maxDailyGenerations: 50 } },
  },
  creditBalance: 12500,
  usage: { models: { gen4_turbo: { dailyGenerations: 7 } } },
};
// The task through its documented states, one per poll.
const states = [
  { id: TASK, createdAt: '2026-01-20T09:00:00.000Z', status: 'PENDING', estimatedCost: { credits: 25 } },
  { id: TASK, createdAt: '2026-01-20T09:00:00.000Z', status: 'THROTTLED', estimatedCost: { credits: 25 } },
  { id: TASK, createdAt: '2026-01-20T09:00:00.000Z', status: 'RUNNING', progress: 0.42, estimatedCost: { credits: 25 } },
  { id: TASK, createdAt: '2026-01-20T09:00:00.000Z', status: 'SUCCEEDED', output: ['https://dnznrvs05pmza.cloudfront.net/17f20503.mp4?_jwt=eyJhbGciOi'], cost: { credits: 25 } },
];
const failedTask = {
  id: '2a4e6c8d-0b1f-4a3c-9e5d-7f9b1d3f5a7c',
  createdAt: '2026-01-20T09:10:00.000Z',
  status: 'FAILED',
  failure: 'The input image did not pass content moderation.',
  failureCode: 'SAFETY.INPUT.IMAGE',
  cost: { credits: 0 },
};
const badKey = { error: 'Invalid API key.' };
const invalidBody = {
  error: 'Validation of body failed',
  issues: [{ code: 'too_big', path: ['promptText'], message: 'Too big: expected string to have <=1000 characters' }],
};
const tooMany = { error: 'You have exceeded the concurrency limit for gen4_turbo.' };

const queued = new Map<string, Array<() => Response>>();
function queue(route: string, ...answers: Array<() => Response>) {
  queued.set(route, [...(queued.get(route) ?? []), ...answers]);
}
function answer(route: string, request: Request, normal: () => Response) {
  if (request.headers.get('authorization') !== `Bearer ${KEY}`) return HttpResponse.json(badKey, { status: 401 });
  if (request.headers.get('x-runway-version') !== '2024-11-06') return HttpResponse.json({ error: 'Missing or invalid X-Runway-Version header.' }, { status: 400 });
  return queued.get(route)?.shift()?.() ?? normal();
}
let poll = 0;

const api = provider([
  http.get(`${BASE}/v1/organization`, ({ request }) => answer('organization', request, () => HttpResponse.json(organization))),
  http.post(`${BASE}/v1/image_to_video`, ({ request }) => answer('create', request, () => HttpResponse.json({ id: TASK, estimatedCost: { credits: 25 } }))),
  http.get(`${BASE}/v1/tasks/:id`, ({ request, params }) =>
    answer('task', request, () => {
      if (params.id === TASK) return HttpResponse.json(states[Math.min(poll++, states.length - 1)]);
      if (params.id === failedTask.id) return HttpResponse.json(failedTask);
      return HttpResponse.json({ error: 'Task not found.' }, { status: 404 });
    }),
  ),
  http.delete(`${BASE}/v1/tasks/:id`, ({ request }) => answer('cancel', request, () => new HttpResponse(null, { status: 204 }))),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  queued.clear();
  poll = 0;
});
afterAll(() => api.disable());

const runnerWith = (apiKey = KEY) => connectorRunner(runway, { credentials: { apiKey } });

describe('Runway connector: connection check', () => {
  it('reads GET /v1/organization with the Bearer key and the version header', async () => {
    const runner = runnerWith();
    expect(await runner.check()).toEqual({
      ok: true,
      account: { id: 'key-9e0f', name: 'Runway organization (key ••••9e0f)', details: { creditBalance: 12500, maxMonthlyCreditSpend: 100000, models: 2 } },
    });
    const sent = api.requests[0]!;
    expect(sent.method).toBe('GET');
    expect(sent.url.href).toBe('https://api.dev.runwayml.com/v1/organization');
    expect(sent.headers.get('authorization')).toBe(`Bearer ${KEY}`);
    expect(sent.headers.get('x-runway-version')).toBe('2024-11-06');
    await runner.close();
  });

  it('rejects a wrong key with Runway’s error', async () => {
    const runner = runnerWith('key_wrong');
    expect(await runner.check()).toEqual({ ok: false, reason: 'auth', field: 'credentials.apiKey', message: 'The credential was rejected by Runway: 401 Invalid API key.' });
    await runner.close();
  });
});

describe('Runway connector: actions', () => {
  it('imageToVideo POSTs the model, image, prompt, ratio and duration and returns the task to poll', async () => {
    const runner = runnerWith();
    const outcome = await runner.run('imageToVideo', { promptImage: IMAGE, promptText: 'A cute bunny hopping in a meadow', ratio: '720:1280', duration: 10, seed: 7 });
    expect(outcome).toEqual({ ok: true, output: { taskId: TASK, estimatedCredits: 25 } });
    const sent = api.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url.href).toBe('https://api.dev.runwayml.com/v1/image_to_video');
    expect(sent.headers.get('x-runway-version')).toBe('2024-11-06');
    expect(sent.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(sent.body)).toEqual({ model: 'gen4_turbo', promptImage: IMAGE, promptText: 'A cute bunny hopping in a meadow', ratio: '720:1280', duration: 10, seed: 7 });
    await runner.close();
  });

  it('imageToVideo relays Runway’s validation issues field by field', async () => {
    queue('create', () => HttpResponse.json(invalidBody, { status: 400 }));
    const runner = runnerWith();
    expect(await runner.run('imageToVideo', { model: 'gen4.5', promptImage: IMAGE, promptText: 'x' })).toEqual({
      ok: false,
      kind: 'provider_error',
      status: 400,
      message: 'Runway answered 400 Validation of body failed (promptText: Too big: expected string to have <=1000 characters)',
      providerBody: invalidBody,
    });
    await runner.close();
  });

  it('imageToVideo does not repeat a create refused with 429 and passes on the wait', async () => {
    queue('create', () => HttpResponse.json(tooMany, { status: 429, headers: { 'retry-after': '15' } }));
    const runner = runnerWith();
    expect(await runner.run('imageToVideo', { promptImage: IMAGE })).toMatchObject({
      ok: false,
      status: 429,
      retryAfterMs: 15_000,
      message: 'Runway answered 429 You have exceeded the concurrency limit for gen4_turbo.',
    });
    expect(api.requests).toHaveLength(1);
    await runner.close();
  });

  it('imageToVideo refuses an image that is neither https, runway:// nor a data URI before calling Runway', async () => {
    const runner = runnerWith();
    expect(await runner.run('imageToVideo', { promptImage: 'http://images.example.com/a.jpg' })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(await runner.run('imageToVideo', { promptImage: IMAGE, ratio: 'wide' })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(api.requests).toHaveLength(0);
    await runner.close();
  });

  it('getTask follows a task through PENDING, THROTTLED, RUNNING and SUCCEEDED', async () => {
    const runner = runnerWith();
    const seen = [];
    for (let i = 0; i < 4; i++) {
      const outcome = await runner.run('getTask', { taskId: TASK });
      if (!outcome.ok) throw new Error(outcome.message);
      seen.push(outcome.output);
    }
    expect(seen).toEqual([
      { id: TASK, status: 'PENDING', createdAt: '2026-01-20T09:00:00.000Z', progress: null, outputUrls: [], failure: null, failureCode: null, credits: 25 },
      { id: TASK, status: 'THROTTLED', createdAt: '2026-01-20T09:00:00.000Z', progress: null, outputUrls: [], failure: null, failureCode: null, credits: 25 },
      { id: TASK, status: 'RUNNING', createdAt: '2026-01-20T09:00:00.000Z', progress: 0.42, outputUrls: [], failure: null, failureCode: null, credits: 25 },
      { id: TASK, status: 'SUCCEEDED', createdAt: '2026-01-20T09:00:00.000Z', progress: null, outputUrls: [states[3]!.output![0]], failure: null, failureCode: null, credits: 25 },
    ]);
    expect(api.requests.every((r) => r.url.href === `https://api.dev.runwayml.com/v1/tasks/${TASK}` && r.headers.get('x-runway-version') === '2024-11-06')).toBe(true);
    await runner.close();
  });

  it('getTask reports a failed task with Runway’s reason and code', async () => {
    const runner = runnerWith();
    expect(await runner.run('getTask', { taskId: failedTask.id })).toMatchObject({
      ok: true,
      output: { status: 'FAILED', failure: 'The input image did not pass content moderation.', failureCode: 'SAFETY.INPUT.IMAGE', credits: 0 },
    });
    await runner.close();
  });

  it('getTask relays an unknown task as 404 and refuses a non-UUID id without calling', async () => {
    const runner = runnerWith();
    expect(await runner.run('getTask', { taskId: '3b5d7f9a-1c2e-4f6a-8b0c-2d4e6f8a0b1c' })).toMatchObject({ ok: false, status: 404, message: 'Runway answered 404 Task not found.' });
    expect(await runner.run('getTask', { taskId: '../organization' })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(api.requests).toHaveLength(1);
    await runner.close();
  });

  it('cancelTask sends DELETE /v1/tasks/{id} and accepts the empty 204', async () => {
    const runner = runnerWith();
    expect(await runner.run('cancelTask', { taskId: TASK })).toEqual({ ok: true, output: { cancelled: true, taskId: TASK } });
    expect(api.requests[0]).toMatchObject({ method: 'DELETE', body: '' });
    expect(api.requests[0]?.url.href).toBe(`https://api.dev.runwayml.com/v1/tasks/${TASK}`);
    await runner.close();
  });

  it('getOrganization returns the balance and per-model limits and use; a 429 on it is retried', async () => {
    queue('organization', () => HttpResponse.json({ error: 'Too many requests.' }, { status: 429, headers: { 'retry-after': '1' } }));
    const runner = runnerWith();
    expect(await runner.run('getOrganization', {})).toEqual({
      ok: true,
      output: {
        creditBalance: 12500,
        maxMonthlyCreditSpend: 100000,
        models: [
          { model: 'gen4_turbo', maxConcurrentGenerations: 2, maxDailyGenerations: 200, dailyGenerations: 7 },
          { model: 'veo3.1', maxConcurrentGenerations: 1, maxDailyGenerations: 50, dailyGenerations: 0 },
        ],
      },
    });
    expect(runner.sleeps).toEqual([1000]);
    await runner.close();
  });
});
