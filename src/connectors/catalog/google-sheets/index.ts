// Google Sheets through a Google user's OAuth 2.0 grant: read ranges, append rows, list a spreadsheet's sheets.
// The service-account variant is the google-sheets-service-account connector (same actions).
// Docs used (besides those listed in ./sheets.ts and ../../sdk/google.ts):
//   https://developers.google.com/identity/protocols/oauth2/web-server  (authorization and token endpoints,
//        access_type=offline + prompt=consent for a refresh token, PKCE, revocation endpoint)
//   https://developers.google.com/workspace/sheets/api/scopes           (…/auth/spreadsheets: read and write)
import { z } from 'zod';
import { defineConnector } from '../../sdk/define.ts';
import { GOOGLE_AUTHORIZATION_URL, GOOGLE_REVOCATION_URL, GOOGLE_TOKEN_URL, googleUserCheck } from '../../sdk/google.ts';
import { SHEETS_API, SHEETS_RATE_LIMIT, SHEETS_SCOPE, sheetsActions } from './sheets.ts';

const TITLE = 'Google Sheets';
const config = z.object({});
type Config = z.infer<typeof config>;

export default defineConnector<Config>({
  id: 'google-sheets',
  title: TITLE,
  category: 'content',
  description: 'Read ranges from and append rows to Google Sheets the signed-in Google user can open (OAuth 2.0).',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M6 2h8l5 5v15H6z" fill="#0f9d58"/><path d="M14 2v5h5z" fill="#87ceac"/><path d="M8.5 11h8v7h-8zM8.5 13.3h8M8.5 15.7h8M11.5 11v7" fill="none" stroke="#fff" stroke-width="1.1"/></svg>',
  docsUrl: 'https://developers.google.com/workspace/sheets/api/reference/rest',
  baseUrl: SHEETS_API,
  auth: {
    kind: 'oauth2',
    authorizationUrl: GOOGLE_AUTHORIZATION_URL,
    tokenUrl: GOOGLE_TOKEN_URL,
    revocationUrl: GOOGLE_REVOCATION_URL,
    // openid + email let the check name the Google account the grant belongs to.
    scopes: [SHEETS_SCOPE, 'openid', 'email'],
    pkce: true,
    // Without both Google issues no refresh token, and the integration would expire after an hour.
    extraAuthorizationParams: { access_type: 'offline', prompt: 'consent' },
  },
  config,
  rateLimit: SHEETS_RATE_LIMIT,
  checkConnection: (ctx) => googleUserCheck(ctx.http, TITLE),
  // The hub puts the user's bearer token on every call.
  actions: sheetsActions<Config>(TITLE, (_ctx, call) => call({})),
});
