import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../test/support/databases.ts';
import { BOOTSTRAP_KEY, OWNER_EMAIL, OWNER_PASSWORD, signIn, startTestHub, type TestHub } from '../../test/support/test-hub.ts';

describe.each(backends)('workspaces, sessions, members and API keys on $name', (backend) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(backend);
  });
  afterAll(async () => {
    await t?.stop();
  });

  async function createKey(headers: Record<string, string>, body: Record<string, unknown>) {
    const response = await t.inject({ method: 'POST', url: '/api/v1/api-keys', headers, payload: body });
    return { status: response.statusCode, body: response.json() };
  }

  it('answers 401 with a stable code without credentials or with an unknown key', async () => {
    const none = await t.inject({ method: 'GET', url: '/api/v1/workspaces/current' });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('unauthenticated');
    const wrong = await t.inject({ method: 'GET', url: '/api/v1/workspaces/current', headers: { authorization: 'Bearer sb_nope' } });
    expect(wrong.statusCode).toBe(401);
    const malformed = await t.inject({ method: 'GET', url: '/api/v1/workspaces/current', headers: { authorization: 'Basic abc' } });
    expect(malformed.json().error.message).toContain('Bearer');
  });

  it('gives the bootstrap key the owner role in the default workspace', async () => {
    const response = await t.inject({ method: 'GET', url: '/api/v1/workspaces/current', headers: t.auth });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ workspace: { slug: 'default' }, role: 'owner', principal: { kind: 'api_key' } });
  });

  it('creates a key shown once, lists only its prefix, and revokes it at once', async () => {
    const created = await createKey(t.auth, { name: 'deploy bot', role: 'admin' });
    expect(created.status).toBe(201);
    const key: string = created.body.key;
    expect(key).toMatch(/^sb_[A-Za-z0-9_-]{40,}$/);
    expect(key.startsWith(created.body.apiKey.prefix)).toBe(true);

    const list = await t.inject({ method: 'GET', url: '/api/v1/api-keys', headers: t.auth });
    expect(list.body).not.toContain(key);
    expect(list.json().items.map((k: { name: string }) => k.name)).toContain('deploy bot');

    const withKey = { authorization: `Bearer ${key}` };
    expect((await t.inject({ method: 'GET', url: '/api/v1/workspaces/current', headers: withKey })).json().role).toBe('admin');

    const revoked = await t.inject({ method: 'DELETE', url: `/api/v1/api-keys/${created.body.apiKey.id}`, headers: t.auth });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().apiKey.revokedAt).not.toBeNull();
    expect((await t.inject({ method: 'GET', url: '/api/v1/workspaces/current', headers: withKey })).statusCode).toBe(401);

    const audit = await t.inject({ method: 'GET', url: '/api/v1/audit-log?action=api_key.*', headers: t.auth });
    const entries = audit.json().items as { action: string; targetId: string; metadata: Record<string, unknown> }[];
    const forKey = entries.filter((e) => e.targetId === created.body.apiKey.id).map((e) => e.action);
    expect(forKey).toEqual(['api_key.revoked', 'api_key.created']);
    expect(audit.body).not.toContain(key);
  });

  it('enforces roles and scopes', async () => {
    const member = (await createKey(t.auth, { name: 'member key', role: 'member' })).body.key;
    const denied = await createKey({ authorization: `Bearer ${member}` }, { name: 'escalate', role: 'owner' });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('forbidden');

    const admin = (await createKey(t.auth, { name: 'admin key', role: 'admin' })).body.key;
    const escalate = await createKey({ authorization: `Bearer ${admin}` }, { name: 'owner key', role: 'owner' });
    expect(escalate.status).toBe(403);

    const reader = (await createKey(t.auth, { name: 'read only', role: 'admin', scopes: ['read'] })).body.key;
    const readerHeaders = { authorization: `Bearer ${reader}` };
    expect((await t.inject({ method: 'GET', url: '/api/v1/api-keys', headers: readerHeaders })).statusCode).toBe(200);
    const write = await createKey(readerHeaders, { name: 'nope' });
    expect(write.status).toBe(403);
    expect(write.body.error.message).toContain('write');
  });

  it('names each invalid field in a 400', async () => {
    const response = await createKey(t.auth, { name: '', role: 'boss', scopes: ['admin'] });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    const fields = response.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['body.name', 'body.role', 'body.scopes.0']));
  });

  it('answers malformed bodies, unknown routes and oversized bodies with JSON errors', async () => {
    const badJson = await t.inject({ method: 'POST', url: '/api/v1/api-keys', headers: { ...t.auth, 'content-type': 'application/json' }, payload: '{"name":' });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().error.code).toBe('bad_request');
    const form = await t.inject({ method: 'POST', url: '/api/v1/api-keys', headers: { ...t.auth, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'name=x' });
    expect(form.statusCode).toBe(415);
    const unknown = await t.inject({ method: 'GET', url: '/api/v1/does-not-exist' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('route_not_found');
    const huge = await t.inject({ method: 'POST', url: '/api/v1/api-keys', headers: t.auth, payload: { name: 'x'.repeat(2_000_000) } });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('payload_too_large');
  });

  it('replays a POST with the same Idempotency-Key and refuses the key for another body', async () => {
    const headers = { ...t.auth, 'idempotency-key': 'create-once-1' };
    const first = await t.inject({ method: 'POST', url: '/api/v1/api-keys', headers, payload: { name: 'idempotent' } });
    const second = await t.inject({ method: 'POST', url: '/api/v1/api-keys', headers, payload: { name: 'idempotent' } });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().apiKey.id).toBe(first.json().apiKey.id);
    const list = await t.inject({ method: 'GET', url: '/api/v1/api-keys', headers: t.auth });
    expect(list.json().items.filter((k: { name: string }) => k.name === 'idempotent')).toHaveLength(1);
    const other = await t.inject({ method: 'POST', url: '/api/v1/api-keys', headers, payload: { name: 'different' } });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('idempotency_key_reused');
  });

  it('signs in, refuses a wrong password, and keeps each workspace to itself', async () => {
    const wrong = await t.inject({ method: 'POST', url: '/api/v1/session', payload: { email: OWNER_EMAIL, password: 'not-the-password' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('invalid_credentials');

    const session = await signIn(t);
    const me = await t.inject({ method: 'GET', url: '/api/v1/session', headers: session });
    expect(me.json()).toMatchObject({ user: { email: OWNER_EMAIL, mustChangePassword: false }, role: 'owner', workspace: { slug: 'default' } });
    // Session-only routes refuse API keys.
    expect((await t.inject({ method: 'GET', url: '/api/v1/session', headers: t.auth })).statusCode).toBe(401);

    const second = await t.inject({ method: 'POST', url: '/api/v1/workspaces', headers: session, payload: { name: 'Second', slug: 'second' } });
    expect(second.statusCode).toBe(201);
    const duplicate = await t.inject({ method: 'POST', url: '/api/v1/workspaces', headers: session, payload: { name: 'Again', slug: 'second' } });
    expect(duplicate.statusCode).toBe(409);
    const switched = await t.inject({ method: 'POST', url: '/api/v1/session/workspace', headers: session, payload: { workspaceId: second.json().workspace.id } });
    expect(switched.json().workspace.slug).toBe('second');
    expect(switched.json().workspaces).toHaveLength(2);

    const secondKey = (await createKey(session, { name: 'second workspace key', role: 'owner' })).body.key;
    const secondHeaders = { authorization: `Bearer ${secondKey}` };
    const defaultKeys = await t.inject({ method: 'GET', url: '/api/v1/api-keys', headers: t.auth });
    const defaultKeyId = defaultKeys.json().items[0].id;
    // Another workspace's resource answers 404, exactly like one that does not exist.
    const foreign = await t.inject({ method: 'DELETE', url: `/api/v1/api-keys/${defaultKeyId}`, headers: secondHeaders });
    expect(foreign.statusCode).toBe(404);
    const missing = await t.inject({ method: 'DELETE', url: '/api/v1/api-keys/00000000-0000-7000-8000-000000000000', headers: secondHeaders });
    expect(foreign.json()).toEqual({ error: { code: 'not_found', message: missing.json().error.message } });
    const secondList = await t.inject({ method: 'GET', url: '/api/v1/api-keys', headers: secondHeaders });
    expect(secondList.json().items.map((k: { name: string }) => k.name)).toEqual(['second workspace key']);
    const secondAudit = await t.inject({ method: 'GET', url: '/api/v1/audit-log', headers: secondHeaders });
    expect(secondAudit.json().items.every((e: { action: string }) => !e.action.startsWith('session.'))).toBe(true);

    const out = await t.inject({ method: 'DELETE', url: '/api/v1/session', headers: session });
    expect(out.statusCode).toBe(204);
    expect((await t.inject({ method: 'GET', url: '/api/v1/session', headers: session })).statusCode).toBe(401);
  });

  it('adds a member with a one-time password that must be changed, and protects the last owner', async () => {
    const added = await t.inject({ method: 'POST', url: '/api/v1/members', headers: t.auth, payload: { email: 'New.Person@Example.com', role: 'member' } });
    expect(added.statusCode).toBe(201);
    const { member, temporaryPassword } = added.json();
    expect(member.email).toBe('new.person@example.com');
    expect(temporaryPassword).toEqual(expect.any(String));

    const session = await signIn(t, 'new.person@example.com', temporaryPassword);
    expect((await t.inject({ method: 'GET', url: '/api/v1/session', headers: session })).json().user.mustChangePassword).toBe(true);
    const weak = await t.inject({ method: 'POST', url: '/api/v1/account/password', headers: session, payload: { currentPassword: temporaryPassword, newPassword: 'short' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.details[0].field).toBe('body.newPassword');
    const changed = await t.inject({ method: 'POST', url: '/api/v1/account/password', headers: session, payload: { currentPassword: temporaryPassword, newPassword: 'a-much-better-password' } });
    expect(changed.statusCode).toBe(204);
    expect((await t.inject({ method: 'GET', url: '/api/v1/session', headers: session })).json().user.mustChangePassword).toBe(false);
    // A member cannot manage members.
    const denied = await t.inject({ method: 'POST', url: '/api/v1/members', headers: session, payload: { email: 'x@example.com' } });
    expect(denied.statusCode).toBe(403);

    const members = (await t.inject({ method: 'GET', url: '/api/v1/members', headers: t.auth })).json().items;
    const owner = members.find((m: { email: string }) => m.email === OWNER_EMAIL);
    const demote = await t.inject({ method: 'PATCH', url: `/api/v1/members/${owner.userId}`, headers: t.auth, payload: { role: 'admin' } });
    expect(demote.statusCode).toBe(409);
    const removeOwner = await t.inject({ method: 'DELETE', url: `/api/v1/members/${owner.userId}`, headers: t.auth });
    expect(removeOwner.statusCode).toBe(409);
    const promote = await t.inject({ method: 'PATCH', url: `/api/v1/members/${member.userId}`, headers: t.auth, payload: { role: 'admin' } });
    expect(promote.json().member.role).toBe('admin');
    const remove = await t.inject({ method: 'DELETE', url: `/api/v1/members/${member.userId}`, headers: t.auth });
    expect(remove.statusCode).toBe(204);
    expect((await t.inject({ method: 'GET', url: '/api/v1/session', headers: session })).statusCode).toBe(401);
  });

  it('never writes a key or password into its logs', async () => {
    const created = await createKey(t.auth, { name: 'log check' });
    await t.inject({ method: 'GET', url: '/api/v1/workspaces/current', headers: { authorization: `Bearer ${created.body.key}` } });
    await signIn(t);
    const logs = t.logs.join('');
    expect(logs).toContain('/api/v1/api-keys');
    for (const secret of [created.body.key, BOOTSTRAP_KEY, OWNER_PASSWORD]) expect(logs).not.toContain(secret);
  });
});

describe('the hub rate limit per caller', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(backends[0]!, { env: { SWITCHBOARD_API_RATE_LIMIT: '3' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('answers 429 with Retry-After past the limit, counted per key', async () => {
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 4; i++) {
      last = await t.inject({ method: 'GET', url: '/api/v1/workspaces/current', headers: t.auth });
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(last!.json().error.code).toBe('rate_limited');
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
  });
});
