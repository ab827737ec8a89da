// Contract tests for the Google Sheets (OAuth 2.0) connector against fixtures shaped like the Sheets v4 reference.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider, type RecordedRequest } from '../../../../test/support/connectors.ts';
import sheets from './index.ts';

const TOKEN = 'ya29.a0AfB_byC7xQ2n8Vw1Lr5Tk9Pz3Hd6Jm0Ns4Ue';
const ID = '1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms';
const SHEETS = `https://sheets.googleapis.com/v4/spreadsheets/${ID}`;
const googleError = (code: number, status: string, message: string) => ({ error: { code, message, status } });
let answers: Array<() => Response> = [];

const authorized = (request: Request) => request.headers.get('authorization') === `Bearer ${TOKEN}`;
const api = provider([
  http.get('https://openidconnect.googleapis.com/v1/userinfo', ({ request }) =>
    authorized(request)
      ? HttpResponse.json({ sub: '110248495921238986420', name: 'Ada Lovelace', email: 'ada@example.org', email_verified: true, hd: 'example.org' })
      : HttpResponse.json({ error: 'invalid_token', error_description: 'Invalid Credentials' }, { status: 401 }),
  ),
  http.get(`${SHEETS}/values/*`, ({ request }) => {
    const queued = answers.shift();
    if (queued) return queued();
    if (!authorized(request)) return HttpResponse.json(googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'), { status: 401 });
    if (request.url.includes('Nowhere')) return HttpResponse.json(googleError(400, 'INVALID_ARGUMENT', 'Unable to parse range: Nowhere!A1'), { status: 400 });
    if (request.url.includes('Empty')) return HttpResponse.json({ range: 'Empty!A1:Z1000', majorDimension: 'ROWS' });
    return HttpResponse.json({ range: 'Sheet1!A1:C3', majorDimension: 'ROWS', values: [['Name', 'Plan', 'Seats'], ['Acme', 'Pro', '12'], ['Globex', 'Free', '1']] });
  }),
  http.post(`${SHEETS}/values/*`, () =>
    answers.shift()?.() ??
    HttpResponse.json({
      spreadsheetId: ID,
      tableRange: 'Sheet1!A1:C3',
      updates: { spreadsheetId: ID, updatedRange: 'Sheet1!A4:C5', updatedRows: 2, updatedColumns: 3, updatedCells: 6 },
    }),
  ),
  http.get(SHEETS, () =>
    HttpResponse.json({
      spreadsheetId: ID,
      properties: { title: 'Customers', locale: 'en_GB', timeZone: 'Europe/London' },
      sheets: [{ properties: { sheetId: 0, title: 'Sheet1', index: 0 } }, { properties: { sheetId: 1815401221, title: 'Q1 Sales', index: 1 } }],
    }),
  ),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  answers = [];
});
afterAll(() => api.disable());

const runner = (accessToken = TOKEN) => connectorRunner(sheets, { credentials: { accessToken } });
const line = (r: RecordedRequest) => `${r.method} ${r.url.href} ${r.headers.get('authorization') ?? '-'}`;

describe('Google Sheets connector (OAuth 2.0)', () => {
  it('asks Google for offline access with PKCE, the spreadsheets scope and the account’s email', () => {
    expect(sheets.auth).toMatchObject({
      kind: 'oauth2',
      authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenUrl: 'https://oauth2.googleapis.com/token',
      revocationUrl: 'https://oauth2.googleapis.com/revoke',
      scopes: ['https://www.googleapis.com/auth/spreadsheets', 'openid', 'email'],
      pkce: true,
      extraAuthorizationParams: { access_type: 'offline', prompt: 'consent' },
    });
  });

  it('checks the grant with OpenID userinfo and names the Google account', async () => {
    const run = runner();
    expect(await run.check()).toEqual({ ok: true, account: { id: '110248495921238986420', name: 'Ada Lovelace', details: { email: 'ada@example.org', domain: 'example.org' } } });
    expect(api.requests.map(line)).toEqual([`GET https://openidconnect.googleapis.com/v1/userinfo Bearer ${TOKEN}`]);
    expect(await runner('ya29.expired').check()).toEqual({ ok: false, reason: 'auth', message: 'The credential was rejected by Google Sheets: 401 invalid_token: Invalid Credentials' });
    await run.close();
  });

  it('readRange GETs the range, encoded, with the render options, from a spreadsheet link', async () => {
    const run = runner();
    const outcome = await run.run('readRange', { spreadsheetId: `https://docs.google.com/spreadsheets/d/${ID}/edit#gid=0`, range: "'Q1 Sales'!A1:C3", valueRenderOption: 'UNFORMATTED_VALUE' });
    expect(outcome).toEqual({ ok: true, output: { range: 'Sheet1!A1:C3', majorDimension: 'ROWS', values: [['Name', 'Plan', 'Seats'], ['Acme', 'Pro', '12'], ['Globex', 'Free', '1']] } });
    expect(api.requests.map(line)).toEqual([`GET ${SHEETS}/values/'Q1%20Sales'!A1%3AC3?majorDimension=ROWS&valueRenderOption=UNFORMATTED_VALUE Bearer ${TOKEN}`]);
    await run.close();
  });

  it('readRange returns no rows for an empty range (Google leaves values out)', async () => {
    const run = runner();
    expect(await run.run('readRange', { spreadsheetId: ID, range: 'Empty' })).toEqual({ ok: true, output: { range: 'Empty!A1:Z1000', majorDimension: 'ROWS', values: [] } });
    await run.close();
  });

  it('relays Google’s status and message, and refuses what is not a spreadsheet id before calling', async () => {
    const run = runner();
    expect(await run.run('readRange', { spreadsheetId: ID, range: 'Nowhere!A1' })).toMatchObject({
      ok: false,
      status: 400,
      message: 'Google Sheets answered 400 INVALID_ARGUMENT: Unable to parse range: Nowhere!A1',
      providerBody: googleError(400, 'INVALID_ARGUMENT', 'Unable to parse range: Nowhere!A1'),
    });
    api.reset();
    expect(await run.run('readRange', { spreadsheetId: '../../drive/v3/files', range: 'A1' })).toMatchObject({ ok: false, kind: 'invalid_input', issues: [{ path: ['spreadsheetId'] }] });
    expect(api.requests).toHaveLength(0);
    await run.close();
  });

  it('retries a read after 429 RESOURCE_EXHAUSTED and passes a persistent one on', async () => {
    const exhausted = () =>
      HttpResponse.json(googleError(429, 'RESOURCE_EXHAUSTED', "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' of service 'sheets.googleapis.com'."), { status: 429 });
    answers = [exhausted];
    const run = runner();
    expect(await run.run('readRange', { spreadsheetId: ID, range: 'Sheet1' })).toMatchObject({ ok: true });
    expect(api.requests).toHaveLength(2);
    answers = [exhausted, exhausted, exhausted];
    expect(await run.run('readRange', { spreadsheetId: ID, range: 'Sheet1' })).toMatchObject({ ok: false, status: 429, message: expect.stringContaining('Google Sheets answered 429 RESOURCE_EXHAUSTED: Quota exceeded') });
    await run.close();
  });

  it('appendRows POSTs the rows once to values:append with the input and insert options', async () => {
    const run = runner();
    const rows = [['Initech', 'Pro', 40], ['Umbrella', null, true]];
    expect(await run.run('appendRows', { spreadsheetId: ID, range: 'Sheet1!A:C', rows })).toEqual({
      ok: true,
      output: { spreadsheetId: ID, tableRange: 'Sheet1!A1:C3', updates: { spreadsheetId: ID, updatedRange: 'Sheet1!A4:C5', updatedRows: 2, updatedColumns: 3, updatedCells: 6 } },
    });
    expect(api.requests.map(line)).toEqual([`POST ${SHEETS}/values/Sheet1!A%3AC:append?valueInputOption=USER_ENTERED&insertDataOption=INSERT_ROWS Bearer ${TOKEN}`]);
    expect(api.requests[0]!.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ majorDimension: 'ROWS', values: rows });

    api.reset();
    answers = [() => HttpResponse.json(googleError(503, 'UNAVAILABLE', 'The service is currently unavailable.'), { status: 503 })];
    expect(await run.run('appendRows', { spreadsheetId: ID, range: 'Sheet1', rows: [['x']], valueInputOption: 'RAW' })).toMatchObject({ ok: false, status: 503 });
    expect(api.requests).toHaveLength(1);
    await run.close();
  });

  it('getSpreadsheet asks only for the fields it returns', async () => {
    const run = runner();
    expect(await run.run('getSpreadsheet', { spreadsheetId: ID })).toMatchObject({ ok: true, output: { properties: { title: 'Customers' }, sheets: [{ properties: { title: 'Sheet1' } }, { properties: { sheetId: 1815401221 } }] } });
    expect(api.requests[0]!.url.searchParams.get('fields')).toBe('spreadsheetId,properties(title,locale,timeZone),sheets.properties(sheetId,title,index)');
    await run.close();
  });
});
