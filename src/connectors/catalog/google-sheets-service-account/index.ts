// Google Sheets as a service account: the same actions as the google-sheets connector, for servers that act on
// spreadsheets shared with the service account's address (or, with domain-wide delegation, as a Workspace user)
// instead of through a person's OAuth grant. The JWT bearer grant is signed with jose (see ../../sdk/google.ts).
// Docs used (besides those listed in ../google-sheets/sheets.ts and ../../sdk/google.ts):
//   https://developers.google.com/identity/protocols/oauth2/service-account  (JSON key file fields, delegation `sub`)
//   https://developers.google.com/workspace/guides/create-credentials#service-account  (share the sheet with
//        the service account's client_email)
import { z } from 'zod';
import { defineConnector, rejectedBy, type ConnectorContext } from '../../sdk/define.ts';
import {
  forgetServiceAccountToken,
  googleCall,
  googleDetail,
  parseServiceAccountKey,
  PRIVATE_KEY_UNREADABLE,
  serviceAccountToken,
  type ServiceAccountGrant,
} from '../../sdk/google.ts';
import { ProviderError } from '../../sdk/provider-http.ts';
import { SHEETS_API, SHEETS_RATE_LIMIT, SHEETS_SCOPE, sheetsActions, type Authorize } from '../google-sheets/sheets.ts';

const TITLE = 'Google Sheets (service account)';

const config = z.object({
  subject: z.email().optional().describe('Domain-wide delegation only: the Google Workspace user to act as'),
});
type Config = z.infer<typeof config>;
type Ctx = ConnectorContext<Config>;

function grantOf(ctx: Ctx): ServiceAccountGrant {
  const key = parseServiceAccountKey(ctx.credentials.serviceAccountKey);
  if (typeof key === 'string') throw new ProviderError({ code: 'invalid_response', message: `${TITLE}: ${key}` });
  return { key, scopes: [SHEETS_SCOPE], subject: ctx.config.subject };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A minted token on every call; after a 401 (key revoked, token dropped early) one fresh token and one retry. */
const authorize: Authorize<Config> = async (ctx, call) => {
  const grant = grantOf(ctx);
  const token = await googleCall(TITLE, () => serviceAccountToken(ctx.http, grant));
  try {
    return await call(bearer(token));
  } catch (error) {
    if (!(error instanceof ProviderError) || error.status !== 401) throw error;
    forgetServiceAccountToken(grant);
    return call(bearer(await googleCall(TITLE, () => serviceAccountToken(ctx.http, grant))));
  }
};

export default defineConnector<Config>({
  id: 'google-sheets-service-account',
  title: TITLE,
  category: 'content',
  description: 'Read ranges from and append rows to Google Sheets shared with a service account, using its JSON key (no user sign-in).',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M6 2h8l5 5v15H6z" fill="#0f9d58"/><path d="M14 2v5h5z" fill="#87ceac"/><path d="M8.5 11h8v7h-8zM8.5 13.3h8M8.5 15.7h8M11.5 11v7" fill="none" stroke="#fff" stroke-width="1.1"/><circle cx="18" cy="18" r="4" fill="#1a73e8"/><path d="M16.3 18.2l1.2 1.1 2.2-2.4" fill="none" stroke="#fff" stroke-width="1.1"/></svg>',
  docsUrl: 'https://developers.google.com/identity/protocols/oauth2/service-account',
  baseUrl: SHEETS_API,
  auth: {
    kind: 'apiKey',
    fields: {
      serviceAccountKey: {
        label: 'Service account JSON key',
        description: 'IAM & Admin → Service accounts → Keys → Add key → JSON: paste the whole file. Share each spreadsheet with the account’s client_email.',
        placement: 'none',
        pattern: { regex: /"type"\s*:\s*"service_account"/, message: 'Paste the whole JSON key file of a service account ("type": "service_account")' },
      },
    },
  },
  config,
  rateLimit: SHEETS_RATE_LIMIT,
  async checkConnection(ctx) {
    const key = parseServiceAccountKey(ctx.credentials.serviceAccountKey);
    if (typeof key === 'string') return { ok: false, reason: 'config', field: 'credentials.serviceAccountKey', message: key };
    try {
      // Minting a token proves the key is live (not deleted or disabled) and, with a subject, that delegation is allowed.
      await serviceAccountToken(ctx.http, { key, scopes: [SHEETS_SCOPE], subject: ctx.config.subject });
      return {
        ok: true,
        account: {
          id: key.client_email,
          name: key.client_email,
          details: { projectId: key.project_id ?? null, keyId: key.private_key_id ?? null, subject: ctx.config.subject ?? null },
        },
      };
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      if (error.message === PRIVATE_KEY_UNREADABLE) return { ok: false, reason: 'config', field: 'credentials.serviceAccountKey', message: error.message };
      // The token endpoint refuses a bad, deleted or undelegated key with 400/401 invalid_grant or unauthorized_client.
      const detail = googleDetail(error.body);
      if (error.status === 401 || error.status === 403 || (error.status === 400 && /invalid_grant|unauthorized_client/.test(detail ?? ''))) {
        return rejectedBy(TITLE, error.status, detail ?? error.message, 'credentials.serviceAccountKey');
      }
      throw error;
    }
  },
  actions: sheetsActions<Config>(TITLE, authorize),
});
