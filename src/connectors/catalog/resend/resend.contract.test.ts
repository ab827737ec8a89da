// Contract tests for the Resend connector against fixtures shaped like Resend's API reference: the exact
// requests (Bearer key, snake_case bodies, Idempotency-Key), template pagination with `after`/`has_more`,
// Resend's error bodies (restricted_api_key, invalid_api_key, validation_error), 429 with retry-after and the
// ratelimit-* headers, and the webhook spec verified with a real Svix-style signature.
import { http, HttpResponse } from 'msw';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider } from '../../../../test/support/connectors.ts';
import { verifyInbound } from '../../../webhooks/inbound/verify.ts';
import resend from './index.ts';

const KEY = 're_123456789_full';
const SENDING_KEY = 're_987654321_send';
const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const EMAIL_ID = '4ef9a417-02e9-4d39-ad75-9611e0fcc33c';

const resendError = (statusCode: number, name: string, message: string, headers: Record<string, string> = {}) => HttpResponse.json({ statusCode, name, message }, { status: statusCode, headers });
const rateHeaders = (remaining: number) => ({ 'ratelimit-limit': '2', 'ratelimit-remaining': String(remaining), 'ratelimit-reset': '1' });
const template = (n: number) => ({ id: `tpl-0000000${n}`, name: `Template ${n}`, status: 'published', alias: `t${n}`, created_at: '2026-01-01 10:00:00.000000+00', updated_at: '2026-01-02 10:00:00.000000+00' });

let failures = 0;
const api = provider([
  http.get('https://api.resend.com/domains', ({ request }) => {
    const auth = request.headers.get('authorization');
    if (auth === `Bearer ${SENDING_KEY}`) return resendError(401, 'restricted_api_key', 'This API key is restricted to only send emails');
    if (auth !== `Bearer ${KEY}`) return resendError(403, 'invalid_api_key', 'API key is invalid');
    return HttpResponse.json(
      {
        object: 'list',
        has_more: false,
        data: [
          { id: 'd91cd9bd-1176-453e-8fc1-35364d380206', name: 'mail.acme.com', status: 'verified', region: 'eu-west-1', created_at: '2026-02-01 10:00:00+00' },
          { id: '0f3a9d4c-0000-4000-8000-000000000001', name: 'acme.com', status: 'verified', region: 'us-east-1', created_at: '2025-01-01 10:00:00+00' },
        ],
      },
      { headers: rateHeaders(1) },
    );
  }),
  http.post('https://api.resend.com/emails', async ({ request }) => {
    const body = (await request.json()) as { to: string | string[]; subject: string };
    if (body.subject === 'flaky' && failures < 1) {
      failures += 1;
      return resendError(500, 'internal_server_error', 'An unexpected error occurred.');
    }
    if (body.subject === 'busy') return resendError(429, 'rate_limit_exceeded', 'Too many requests. You can only make 2 requests per second.', { 'retry-after': '90', ...rateHeaders(0) });
    if (body.to === 'not-an-address') return resendError(422, 'validation_error', 'Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.');
    return HttpResponse.json({ id: EMAIL_ID }, { headers: rateHeaders(1) });
  }),
  http.post('https://api.resend.com/emails/batch', async ({ request }) => {
    const emails = (await request.json()) as unknown[];
    return HttpResponse.json({ data: emails.map((_, index) => ({ id: `ae2014de-c168-4c61-8267-70d2662a1ce${index}` })) });
  }),
  http.get(`https://api.resend.com/emails/${EMAIL_ID}`, () =>
    HttpResponse.json({
      object: 'email',
      id: EMAIL_ID,
      to: ['delivered@resend.dev'],
      from: 'Acme <onboarding@resend.dev>',
      created_at: '2026-05-01 10:00:00.000000+00',
      subject: 'Hello',
      html: '<p>Hi</p>',
      text: null,
      bcc: null,
      cc: null,
      reply_to: null,
      last_event: 'delivered',
      scheduled_at: null,
    }),
  ),
  http.get('https://api.resend.com/templates', ({ request }) => {
    const after = new URL(request.url).searchParams.get('after');
    const all = [template(1), template(2), template(3)];
    const start = after ? all.findIndex((item) => item.id === after) + 1 : 0;
    const limit = Number(new URL(request.url).searchParams.get('limit'));
    return HttpResponse.json({ object: 'list', has_more: start + limit < all.length, data: all.slice(start, start + limit) });
  }),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  failures = 0;
});
afterAll(() => api.disable());

const runner = (apiKey = KEY) => connectorRunner(resend, { credentials: { apiKey, webhookSecret: SECRET } });

describe('Resend connector', () => {
  it('checks the connection by listing domains with the key as a Bearer header', async () => {
    const run = runner();
    expect(await run.check()).toEqual({
      ok: true,
      account: { id: '0f3a9d4c-0000-4000-8000-000000000001', name: 'Resend: mail.acme.com, acme.com', details: { access: 'full_access', domains: 2 } },
    });
    expect(api.requests.map((request) => [request.method, request.url.href, request.headers.get('authorization')])).toEqual([['GET', 'https://api.resend.com/domains', `Bearer ${KEY}`]]);
    await run.close();
  });

  it('accepts a sending-only key (restricted_api_key) and refuses an invalid one in Resend’s words', async () => {
    const sending = runner(SENDING_KEY);
    expect(await sending.check()).toEqual({ ok: true, account: { id: 'resend', name: 'Resend (sending access)', details: { access: 'sending_access' } } });
    await sending.close();
    const invalid = runner('re_00000000_revoked');
    expect(await invalid.check()).toEqual({ ok: false, reason: 'auth', field: 'credentials.apiKey', message: 'The credential was rejected by Resend: 403 API key is invalid (invalid_api_key)' });
    await invalid.close();
  });

  it('sendEmail posts the snake_case body with the Idempotency-Key header and answers the id', async () => {
    const run = runner();
    const outcome = await run.run('sendEmail', {
      from: 'Acme <onboarding@acme.com>',
      to: ['ada@example.org'],
      subject: 'Welcome',
      html: '<p>Hi</p>',
      replyTo: 'support@acme.com',
      tags: [{ name: 'category', value: 'welcome' }],
      scheduledAt: 'in 1 hour',
      attachments: [{ filename: 'a.txt', content: 'aGk=', contentType: 'text/plain' }],
      idempotencyKey: 'welcome/ada',
    });
    expect(outcome).toEqual({ ok: true, output: { id: EMAIL_ID } });
    const [request] = api.requests;
    expect(request!.headers.get('idempotency-key')).toBe('welcome/ada');
    expect(request!.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(request!.body)).toEqual({
      from: 'Acme <onboarding@acme.com>',
      to: ['ada@example.org'],
      subject: 'Welcome',
      html: '<p>Hi</p>',
      reply_to: 'support@acme.com',
      tags: [{ name: 'category', value: 'welcome' }],
      scheduled_at: 'in 1 hour',
      attachments: [{ filename: 'a.txt', content: 'aGk=', content_type: 'text/plain' }],
    });
    await run.close();
  });

  it('retries a failed send only when an Idempotency-Key makes the repeat safe', async () => {
    const run = runner();
    const message = { from: 'a@acme.com', to: 'b@example.org', subject: 'flaky', text: 'x' };
    expect(await run.run('sendEmail', message)).toMatchObject({ ok: false, status: 500, message: 'Resend answered 500 An unexpected error occurred. (internal_server_error)' });
    expect(api.requests).toHaveLength(1);
    api.reset();
    failures = 0;
    expect(await run.run('sendEmail', { ...message, idempotencyKey: 'k-1' })).toEqual({ ok: true, output: { id: EMAIL_ID } });
    expect(api.requests.map((request) => request.headers.get('idempotency-key'))).toEqual(['k-1', 'k-1']);
    await run.close();
  });

  it("relays a validation_error and hands a 429's retry-after back to the caller", async () => {
    const run = runner();
    expect(await run.run('sendEmail', { from: 'a@acme.com', to: 'not-an-address', subject: 'x', text: 'x' })).toMatchObject({
      ok: false,
      kind: 'provider_error',
      status: 422,
      message: expect.stringMatching(/^Resend answered 422 Invalid `to` field.*\(validation_error\)$/),
      providerBody: { statusCode: 422, name: 'validation_error' },
    });
    expect(await run.run('sendEmail', { from: 'a@acme.com', to: 'b@example.org', subject: 'busy', text: 'x' })).toMatchObject({
      ok: false,
      status: 429,
      retryAfterMs: 90_000,
      message: 'Resend answered 429 Too many requests. You can only make 2 requests per second. (rate_limit_exceeded)',
    });
    await run.close();
  });

  it('refuses an email with neither html nor text, or over 50 recipients, before calling Resend', async () => {
    const run = runner();
    expect(await run.run('sendEmail', { from: 'a@acme.com', to: 'b@example.org', subject: 'x' })).toMatchObject({ ok: false, kind: 'invalid_input', issues: [{ message: 'give html or text (or both)' }] });
    const many = Array.from({ length: 51 }, (_, index) => `u${index}@example.org`);
    expect(await run.run('sendEmail', { from: 'a@acme.com', to: many, subject: 'x', text: 'x' })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(api.requests).toHaveLength(0);
    await run.close();
  });

  it('sendBatch posts an array of emails and answers their ids in order', async () => {
    const run = runner();
    const emails = [
      { from: 'a@acme.com', to: 'x@example.org', subject: 'One', text: '1' },
      { from: 'a@acme.com', to: ['y@example.org'], subject: 'Two', html: '<b>2</b>', cc: 'z@example.org' },
    ];
    expect(await run.run('sendBatch', { emails })).toEqual({ ok: true, output: { data: [{ id: 'ae2014de-c168-4c61-8267-70d2662a1ce0' }, { id: 'ae2014de-c168-4c61-8267-70d2662a1ce1' }] } });
    expect(JSON.parse(api.requests[0]!.body)).toEqual([
      { from: 'a@acme.com', to: 'x@example.org', subject: 'One', text: '1' },
      { from: 'a@acme.com', to: ['y@example.org'], subject: 'Two', html: '<b>2</b>', cc: 'z@example.org' },
    ]);
    await run.close();
  });

  it('getEmail answers the last delivery event', async () => {
    const run = runner();
    expect(await run.run('getEmail', { id: EMAIL_ID })).toMatchObject({ ok: true, output: { id: EMAIL_ID, last_event: 'delivered', to: ['delivered@resend.dev'] } });
    expect(await run.run('getEmail', { id: '../domains' })).toMatchObject({ ok: false, kind: 'invalid_input' });
    await run.close();
  });

  it('listTemplates pages with limit and after until has_more is false', async () => {
    const run = runner();
    expect(await run.run('listTemplates', { limit: 2 })).toEqual({ ok: true, output: { items: [template(1), template(2)], hasMore: true, after: 'tpl-00000002' } });
    expect(await run.run('listTemplates', { limit: 2, after: 'tpl-00000002' })).toEqual({ ok: true, output: { items: [template(3)], hasMore: false, after: null } });
    expect(api.requests.map((request) => request.url.search)).toEqual(['?limit=2', '?limit=2&after=tpl-00000002']);
    await run.close();
  });

  it('verifies Svix-signed webhooks with the integration’s secret and names events by their type', () => {
    const spec = resend.webhooks!;
    const payload = {
      type: 'email.bounced',
      created_at: '2026-05-01T10:00:05.000Z',
      data: { email_id: EMAIL_ID, from: 'Acme <a@acme.com>', to: ['gone@example.org'], subject: 'Hello', created_at: '2026-05-01T10:00:00.000Z', bounce: { type: 'Permanent', subType: 'General', message: 'mailbox does not exist' }, tags: { category: 'welcome' } },
    };
    const raw = JSON.stringify(payload);
    const now = Date.now();
    const timestamp = Math.floor(now / 1000);
    const signature = new Webhook(SECRET).sign('msg_2Lh9K', new Date(timestamp * 1000), raw);
    const headers = { 'svix-id': 'msg_2Lh9K', 'svix-timestamp': String(timestamp), 'svix-signature': signature };
    expect(verifyInbound(spec.verification, { apiKey: KEY, webhookSecret: SECRET }, { rawBody: Buffer.from(raw), headers }, now)).toEqual({ ok: true, dedupKey: 'id:msg_2Lh9K' });
    expect(verifyInbound(spec.verification, { apiKey: KEY, webhookSecret: SECRET }, { rawBody: Buffer.from(raw.replace('gone', 'here')), headers }, now)).toMatchObject({ ok: false });
    expect(spec.eventType(payload, headers)).toBe('email.bounced');
    expect(spec.eventType({ type: 'DROP TABLE' }, headers)).toBe('unknown');
    expect(spec.deliveryId!(payload, headers)).toBe('msg_2Lh9K');
    expect(spec.normalize!(payload)).toEqual({
      type: 'email.bounced',
      emailId: EMAIL_ID,
      to: ['gone@example.org'],
      from: 'Acme <a@acme.com>',
      subject: 'Hello',
      occurredAt: '2026-05-01T10:00:05.000Z',
      bounceType: 'Permanent',
      tags: { category: 'welcome' },
    });
  });
});
