// Contract tests for the service-account Sheets connector: the JWT bearer grant as Google documents it (the
// fixture verifies the assertion's RS256 signature and claims with the key pair's public half), token reuse,
// and the Sheets calls made with the minted token.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider } from '../../../../test/support/connectors.ts';
import { credentialSchema } from '../../sdk/credentials.ts';
import connector from './index.ts';

const ID = '1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms';
const EMAIL = 'reporting@acme-analytics.iam.gserviceaccount.com';
const pair = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const publicKey = await importSPKI(pair.publicKey, 'RS256');

/** A key file as Google hands it out; a fresh key id per test keeps the in-memory token cache apart. */
function keyFile(overrides: Record<string, unknown> = {}) {
  return JSON.stringify({
    type: 'service_account',
    project_id: 'acme-analytics',
    private_key_id: randomUUID().replace(/-/g, ''),
    private_key: pair.privateKey,
    client_email: EMAIL,
    client_id: '117320422948223745123',
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: 'https://oauth2.googleapis.com/token',
    ...overrides,
  });
}

let minted = 0;
let revokedToken: string | null = null;
const claims: Array<Record<string, unknown>> = [];
const api = provider([
  http.post('https://oauth2.googleapis.com/token', async ({ request }) => {
    const form = new URLSearchParams(await request.clone().text());
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return HttpResponse.json({ error: 'unsupported_grant_type' }, { status: 400 });
    const assertion = form.get('assertion') ?? '';
    try {
      const { payload } = await jwtVerify(assertion, publicKey, { issuer: EMAIL, audience: 'https://oauth2.googleapis.com/token' });
      claims.push({ ...payload, header: decodeProtectedHeader(assertion) });
    } catch {
      return HttpResponse.json({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }, { status: 400 });
    }
    minted += 1;
    return HttpResponse.json({ access_token: `ya29.c.minted-${minted}`, expires_in: 3599, token_type: 'Bearer' });
  }),
  http.get(`https://sheets.googleapis.com/v4/spreadsheets/${ID}/values/*`, ({ request }) => {
    const auth = request.headers.get('authorization') ?? '';
    if (!auth.startsWith('Bearer ya29.c.minted-') || auth === `Bearer ${revokedToken}`) {
      return HttpResponse.json({ error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } }, { status: 401 });
    }
    return HttpResponse.json({ range: 'Sheet1!A1:B2', majorDimension: 'ROWS', values: [['a', 'b']] });
  }),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  claims.length = 0;
  revokedToken = null;
});
afterAll(() => api.disable());

const runner = (serviceAccountKey: string, config: unknown = {}) => connectorRunner(connector, { credentials: { serviceAccountKey }, config });

describe('Google Sheets connector (service account)', () => {
  it('stores only a service account JSON key', () => {
    expect(credentialSchema(connector.auth).safeParse({ serviceAccountKey: keyFile() }).success).toBe(true);
    expect(credentialSchema(connector.auth).safeParse({ serviceAccountKey: '{"type":"authorized_user"}' }).error?.issues[0]?.message).toBe(
      'Paste the whole JSON key file of a service account ("type": "service_account")',
    );
  });

  it('checks the key by minting a token with a signed RS256 assertion (kid, scope, iat/exp) and names the account', async () => {
    const key = keyFile();
    const run = runner(key);
    expect(await run.check()).toEqual({
      ok: true,
      account: { id: EMAIL, name: EMAIL, details: { projectId: 'acme-analytics', keyId: (JSON.parse(key) as { private_key_id: string }).private_key_id, subject: null } },
    });
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]!.method).toBe('POST');
    expect(api.requests[0]!.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(api.requests[0]!.headers.get('authorization')).toBeNull();
    const [claim] = claims;
    expect(claim).toMatchObject({ iss: EMAIL, aud: 'https://oauth2.googleapis.com/token', scope: 'https://www.googleapis.com/auth/spreadsheets', header: { alg: 'RS256', typ: 'JWT', kid: (JSON.parse(key) as { private_key_id: string }).private_key_id } });
    expect((claim!.exp as number) - (claim!.iat as number)).toBe(3600);
    expect(claim!.sub).toBeUndefined();
    await run.close();
  });

  it('acts as a Workspace user with domain-wide delegation (sub claim)', async () => {
    const run = runner(keyFile(), { subject: 'ada@example.org' });
    expect(await run.check()).toMatchObject({ ok: true, account: { details: { subject: 'ada@example.org' } } });
    expect(claims[0]).toMatchObject({ sub: 'ada@example.org' });
    await run.close();
  });

  it('reports a key Google refuses (invalid_grant) as a rejected credential', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const run = runner(keyFile({ private_key: other.privateKey }));
    expect(await run.check()).toEqual({
      ok: false,
      reason: 'auth',
      field: 'credentials.serviceAccountKey',
      message: 'The credential was rejected by Google Sheets (service account): 400 invalid_grant: Invalid JWT Signature.',
    });
    await run.close();
  });

  it('names what is wrong with a malformed key without calling Google', async () => {
    expect(await runner('{ not json').check()).toMatchObject({ ok: false, reason: 'config', field: 'credentials.serviceAccountKey', message: 'the service account key must be the JSON key file’s content' });
    expect(await runner(keyFile({ token_uri: 'https://evil.example/token' })).check()).toMatchObject({ ok: false, reason: 'config', message: 'token_uri must be https://oauth2.googleapis.com/token' });
    expect(await runner(keyFile({ private_key: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----' })).check()).toMatchObject({ ok: false, reason: 'config', message: expect.stringContaining('not a PKCS#8 RSA key') });
    expect(api.requests).toHaveLength(0);
  });

  it('mints one token for several calls, sends it as a bearer to Sheets, and mints anew after a 401', async () => {
    const run = runner(keyFile());
    expect(await run.run('readRange', { spreadsheetId: ID, range: 'Sheet1!A1:B2' })).toMatchObject({ ok: true, output: { values: [['a', 'b']] } });
    await run.run('readRange', { spreadsheetId: ID, range: 'Sheet1!A1:B2' });
    const calls = api.requests.map((r) => `${r.method} ${r.url.host} ${r.headers.get('authorization') ?? '-'}`);
    expect(calls.filter((c) => c.includes('oauth2.googleapis.com'))).toHaveLength(1);
    const sheetsCalls = calls.filter((c) => c.includes('sheets.googleapis.com'));
    expect(sheetsCalls).toHaveLength(2);
    expect(new Set(sheetsCalls).size).toBe(1);
    const token = sheetsCalls[0]!.split('Bearer ')[1]!;

    revokedToken = token;
    api.reset();
    expect(await run.run('readRange', { spreadsheetId: ID, range: 'Sheet1!A1:B2' })).toMatchObject({ ok: true });
    expect(api.requests.map((r) => `${r.method} ${r.url.host}`)).toEqual(['GET sheets.googleapis.com', 'POST oauth2.googleapis.com', 'GET sheets.googleapis.com']);
    expect(api.requests[2]!.headers.get('authorization')).not.toBe(`Bearer ${token}`);
    await run.close();
  });
});
