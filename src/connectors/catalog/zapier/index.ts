// Zapier: start a Zap by calling its "Webhooks by Zapier" Catch Hook (or Catch Raw Hook) URL with a payload.
// The URL is the only credential (whoever has it can start the Zap), so it is stored as a secret, checked to be
// a hooks.zapier.com catch-hook address, and every call still goes through the outbound SSRF guard.
// The webhooks capability's endpoint presets stay the way to *send* hub events to Zapier; this is for *calling* it.
// Docs used:
//   https://help.zapier.com/hc/en-us/articles/8496288690317  (Trigger Zaps from webhooks: Catch Hook accepts POST,
//        PUT or GET; Zapier always answers success with debugging data, whether or not a Zap is on; silent mode;
//        no redirects; Catch Raw Hook for the raw body)
//   https://zapier.com/help/webhooks/                          (JSON, form and XML payloads; X-Recurse-Parse)
//   https://help.zapier.com/hc/en-us/articles/29972220283789  (rate limits: 429 beyond 10,000 requests per 5
//        minutes per user, 1,000 per 5 minutes per Zap on legacy routes; retry non-200s with backoff)
import { z } from 'zod';
import { defineAction, defineConnector, type ConnectorContext } from '../../sdk/define.ts';
import { ProviderError } from '../../sdk/provider-http.ts';

const TITLE = 'Zapier';

/**
 * https://hooks.zapier.com/hooks/catch/<account>/<hook>/ (and the older /hooks/catch/<hook>/ without an account).
 * Anchored and host-exact, so no other host or scheme can be stored as the hook.
 */
const CATCH_HOOK = /^https:\/\/hooks\.zapier\.com\/hooks\/catch\/(?:(\d+)\/)?([A-Za-z0-9]+)\/?$/;

const config = z.object({});
type Config = z.infer<typeof config>;
type Ctx = ConnectorContext<Config>;

/** The stored hook URL, re-checked at every call (the credential could predate a stricter pattern). */
function hookUrl(ctx: Ctx, silent: boolean): string {
  const url = ctx.credentials.hookUrl ?? '';
  const match = CATCH_HOOK.exec(url);
  if (!match) {
    throw new ProviderError({ code: 'invalid_response', message: 'The stored Zapier hook URL is not a https://hooks.zapier.com/hooks/catch/… address; update the credential hookUrl.' });
  }
  const base = url.endsWith('/') ? url : `${url}/`;
  return silent ? `${base}silent/` : base;
}

// Zapier's answer to a catch hook, e.g. { attempt, id, request_id, status: "success" }; empty in silent mode.
const hookAnswer = z.looseObject({ status: z.string().optional(), id: z.string().optional(), request_id: z.string().optional(), attempt: z.string().optional() });
const triggerOutput = z.object({ accepted: z.boolean(), status: z.number().int(), zapier: hookAnswer.nullable() });

const silent = z.boolean().default(false).describe('Silent mode: Zapier answers with an empty body (…/silent/)');

const triggerInput = z.object({
  payload: z
    .union([z.record(z.string(), z.unknown()), z.array(z.record(z.string(), z.unknown())).min(1).max(100)])
    .describe('The JSON the Zap receives: an object, or an array of objects'),
  silent,
});
const rawInput = z.object({
  body: z.string().max(1_000_000).describe('The raw body a Catch Raw Hook trigger receives'),
  contentType: z
    .string()
    .trim()
    .regex(/^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w-]+=[\w.-]+)*$/, 'a media type, e.g. text/plain or application/xml')
    .default('text/plain'),
  silent,
});

async function send(ctx: Ctx, input: { silent: boolean }, body: { json?: unknown; body?: string; headers?: Record<string, string> }) {
  // POSTs are not retried: Zapier may already have queued the first one when an answer is lost.
  const answer = await ctx.http.request({ method: 'POST', path: hookUrl(ctx, input.silent), ...body, responseType: 'text' });
  let parsed: z.infer<typeof hookAnswer> | null = null;
  if (answer.data) {
    try {
      const result = hookAnswer.safeParse(JSON.parse(answer.data as string));
      parsed = result.success ? result.data : null;
    } catch {
      parsed = null;
    }
  }
  return { accepted: true, status: answer.status, zapier: parsed };
}

export default defineConnector<Config>({
  id: 'zapier',
  title: TITLE,
  category: 'automation',
  description:
    'Start a Zap by calling its Webhooks by Zapier Catch Hook URL with a payload. Zapier accepts every well-formed call, even for a Zap that is off, so the connection check only verifies the address.',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#ff4f00"/><path d="M12 5v14M5 12h14M7 7l10 10M17 7L7 17" stroke="#fff" stroke-width="2" stroke-linecap="round"/></svg>',
  docsUrl: 'https://help.zapier.com/hc/en-us/articles/8496288690317',
  baseUrl: 'https://hooks.zapier.com',
  auth: {
    kind: 'apiKey',
    fields: {
      hookUrl: {
        label: 'Catch Hook URL',
        description: 'From the Zap’s Webhooks by Zapier trigger (Catch Hook or Catch Raw Hook). Anyone with it can start the Zap: it is stored encrypted.',
        placement: 'none',
        pattern: { regex: CATCH_HOOK, message: 'The Catch Hook URL must look like https://hooks.zapier.com/hooks/catch/123456/abcdef/' },
      },
    },
  },
  config,
  // What POST /api/v1/integrations/:id/run does when no action is named: start the Zap.
  defaultAction: 'triggerZap',
  // 10,000 requests per 5 minutes per Zapier user.
  rateLimit: { perMinute: 2000 },
  async checkConnection(ctx) {
    // Any call to a catch hook starts the Zap and Zapier answers success regardless, so nothing is sent:
    // the check proves the address is a Zapier catch hook and names the account it belongs to.
    const match = CATCH_HOOK.exec(ctx.credentials.hookUrl ?? '');
    if (!match) return { ok: false, reason: 'config', field: 'credentials.hookUrl', message: 'The Catch Hook URL must look like https://hooks.zapier.com/hooks/catch/123456/abcdef/' };
    const account = match[1];
    return {
      ok: true,
      account: {
        id: account ? `zapier-account-${account}` : 'zapier-legacy-hook',
        name: account ? `Zapier account ${account}` : 'Zapier catch hook (legacy route)',
        details: { verified: 'address only: a catch hook cannot be probed without starting its Zap' },
      },
    };
  },
  actions: [
    defineAction<Config, z.output<typeof triggerInput>, z.infer<typeof triggerOutput>>({
      name: 'triggerZap',
      title: 'Trigger a Zap',
      description: 'POSTs a JSON payload (an object, or an array of objects) to the Catch Hook, which starts the Zap with it.',
      input: triggerInput,
      output: triggerOutput,
      run: (ctx, input) => send(ctx, input, { json: input.payload }),
    }),
    defineAction<Config, z.output<typeof rawInput>, z.infer<typeof triggerOutput>>({
      name: 'triggerZapRaw',
      title: 'Trigger a Zap with a raw body',
      description: 'POSTs any body (text, XML, form data) with its content type, for Catch Raw Hook triggers.',
      input: rawInput,
      output: triggerOutput,
      run: (ctx, input) => send(ctx, input, { body: input.body, headers: { 'content-type': input.contentType } }),
    }),
  ],
});
