// Resend: transactional email (send one, send a batch, read an email's delivery status, list templates) with
// an API key, and Resend's webhooks in (Svix-signed: svix-id / svix-timestamp / svix-signature), whose
// delivery events (delivered, bounced, complained, opened …) feed seed 004's delivery, bounce and
// complaint rates in the KPI layer.
// Docs used:
//   https://resend.com/docs/api-reference/introduction          (base URL, Authorization: Bearer re_…)
//   https://resend.com/docs/api-reference/emails/send-email     (POST /emails: from, to ≤ 50, subject, html/text, cc, bcc, reply_to, tags, scheduled_at)
//   https://resend.com/docs/api-reference/emails/send-batch-emails (POST /emails/batch: ≤ 100 emails, answers { data: [{ id }] })
//   https://resend.com/docs/api-reference/emails/retrieve-email (GET /emails/{id}: last_event)
//   https://resend.com/docs/api-reference/templates/list-templates (GET /templates: limit, after / before, has_more)
//   https://resend.com/docs/api-reference/domains/list-domains  (GET /domains, the check)
//   https://resend.com/docs/dashboard/emails/idempotency-keys   (Idempotency-Key header, 24 hours)
//   https://resend.com/docs/api-reference/errors                (`{ statusCode, name, message }`; restricted_api_key, invalid_api_key …)
//   https://resend.com/docs/api-reference/rate-limit            (ratelimit-* and retry-after headers; a default of 2 requests per second per team)
//   https://resend.com/docs/webhooks/event-types, https://resend.com/docs/dashboard/webhooks/body-parameters ({ type, created_at, data: { email_id, to, … } })
//   https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests (Svix headers and whsec_ secrets)
import { z } from 'zod';
import { defineAction, defineConnector, type ConnectorContext } from '../../sdk/define.ts';
import { providerErrors } from '../../sdk/provider-errors.ts';
import { ProviderError, type ProviderRequest } from '../../sdk/provider-http.ts';

const TITLE = 'Resend';

interface ResendErrorBody {
  statusCode?: number;
  name?: string;
  message?: string;
}
function resendErrorOf(body: unknown): ResendErrorBody | undefined {
  return body && typeof body === 'object' && typeof (body as ResendErrorBody).name === 'string' ? (body as ResendErrorBody) : undefined;
}

/** Resend's `{ statusCode, name, message }` as "API key is invalid (invalid_api_key)". */
const errors = providerErrors({
  title: TITLE,
  credentialField: 'credentials.apiKey',
  detail(body) {
    const resend = resendErrorOf(body);
    return resend ? `${resend.message ?? 'no message'} (${resend.name})` : undefined;
  },
});

const config = z.object({});
type Config = z.infer<typeof config>;

// --- Inputs ---------------------------------------------------------------------------------------------
const address = z.string().trim().min(3).max(320);
const recipients = (max: number) => z.union([address, z.array(address).min(1).max(max)]);
const tag = z.object({
  name: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'ASCII letters, numbers, underscores or dashes'),
  value: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'ASCII letters, numbers, underscores or dashes'),
});
const email = z
  .object({
    from: address.describe('Sender, e.g. "Acme <onboarding@acme.com>", on a domain verified in Resend.'),
    to: recipients(50).describe('Up to 50 recipients.'),
    subject: z.string().min(1).max(998),
    html: z.string().optional(),
    text: z.string().optional(),
    cc: recipients(50).optional(),
    bcc: recipients(50).optional(),
    replyTo: recipients(50).optional(),
    headers: z.record(z.string(), z.string()).optional().describe('Custom email headers.'),
    tags: z.array(tag).max(20).optional().describe('Name/value tags, returned in webhook events.'),
  })
  .refine((value) => value.html !== undefined || value.text !== undefined, { message: 'give html or text (or both)', path: ['html'] });
type Email = z.output<typeof email>;

const sendEmailInput = email.and(
  z.object({
    scheduledAt: z.string().min(1).optional().describe('Send later: ISO 8601, or natural language such as "in 1 hour".'),
    attachments: z
      .array(z.object({ filename: z.string().min(1), content: z.string().min(1).describe('Base64 content.'), contentType: z.string().optional() }))
      .max(20)
      .optional(),
    idempotencyKey: z.string().min(1).max(256).optional().describe('Same key within 24 hours = the same email, never sent twice; also lets the hub retry safely.'),
  }),
);
const sendBatchInput = z.object({
  emails: z.array(email).min(1).max(100).describe('Up to 100 emails (no attachments or scheduling in a batch).'),
  idempotencyKey: z.string().min(1).max(256).optional(),
});

/** Resend's JSON uses snake_case. */
function wireEmail(input: Email) {
  return {
    from: input.from,
    to: input.to,
    subject: input.subject,
    ...(input.html !== undefined ? { html: input.html } : {}),
    ...(input.text !== undefined ? { text: input.text } : {}),
    ...(input.cc !== undefined ? { cc: input.cc } : {}),
    ...(input.bcc !== undefined ? { bcc: input.bcc } : {}),
    ...(input.replyTo !== undefined ? { reply_to: input.replyTo } : {}),
    ...(input.headers !== undefined ? { headers: input.headers } : {}),
    ...(input.tags !== undefined ? { tags: input.tags } : {}),
  };
}

/** With an Idempotency-Key a repeat cannot send twice, so the POST may be retried like a GET. */
function idempotent(key: string | undefined): Partial<ProviderRequest> {
  return key ? { headers: { 'idempotency-key': key }, retry: {} } : {};
}

// --- Answers --------------------------------------------------------------------------------------------
const sent = z.looseObject({ id: z.string() });
const batchSent = z.looseObject({ data: z.array(sent) });
const emailStatus = z.looseObject({
  object: z.literal('email').optional(),
  id: z.string(),
  to: z.array(z.string()),
  from: z.string(),
  subject: z.string(),
  created_at: z.string(),
  /** sent, delivered, delivery_delayed, bounced, complained, opened, clicked, scheduled, canceled, failed… */
  last_event: z.string().nullable().optional(),
  scheduled_at: z.string().nullable().optional(),
  cc: z.array(z.string()).nullable().optional(),
  bcc: z.array(z.string()).nullable().optional(),
  reply_to: z.array(z.string()).nullable().optional(),
  html: z.string().nullable().optional(),
  text: z.string().nullable().optional(),
});
const template = z.looseObject({ id: z.string(), name: z.string(), status: z.string().optional(), alias: z.string().nullable().optional(), created_at: z.string().optional(), updated_at: z.string().optional() });
const templateList = z.looseObject({ object: z.literal('list').optional(), data: z.array(template), has_more: z.boolean().default(false) });
const domainList = z.looseObject({ data: z.array(z.looseObject({ id: z.string(), name: z.string(), status: z.string().optional(), region: z.string().optional(), created_at: z.string().optional() })) });

const listTemplatesInput = z.object({
  limit: z.number().int().min(1).max(100).default(20),
  after: z.string().min(1).optional().describe('The id after which to continue (the `after` of an earlier answer).'),
});
const listTemplatesOutput = z.object({ items: z.array(template), hasMore: z.boolean(), after: z.string().nullable() });

function expectShape<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ProviderError({ code: 'invalid_response', body, message: `${TITLE} answered ${what} in an unexpected shape` });
  return parsed.data;
}

/** What a webhook event keeps, beside its raw body: the email, its recipients and the bounce details. */
interface NormalizedEvent {
  type: string;
  emailId: string | null;
  to: string[];
  from: string | null;
  subject: string | null;
  occurredAt: string | null;
  bounceType: string | null;
  tags: unknown;
}

export default defineConnector<Config>({
  id: 'resend',
  title: TITLE,
  category: 'email',
  description: 'Send transactional email through Resend, singly or in batches, read delivery status and templates, and receive its delivery events.',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#000"/><path d="M7.5 6h5.2a3.6 3.6 0 0 1 .6 7.2L17 18h-3.2l-3.4-4.6H10V18H7.5zM10 8.2v3.1h2.6a1.55 1.55 0 0 0 0-3.1z" fill="#fff"/></svg>',
  docsUrl: 'https://resend.com/docs/api-reference/introduction',
  baseUrl: 'https://api.resend.com',
  auth: {
    kind: 'apiKey',
    fields: {
      apiKey: {
        label: 'API key',
        description: 'A Resend API key (re_…). Full access lets the hub list domains and templates; sending access only sends.',
        placement: 'header',
        name: 'authorization',
        prefix: 'Bearer ',
        pattern: { regex: /^re_[A-Za-z0-9_]{8,}$/, message: 'a Resend API key starts with re_' },
      },
      webhookSecret: {
        label: 'Webhook signing secret',
        description: 'The whsec_… secret of your Resend webhook (Webhooks → your endpoint), to verify the events it sends. Optional.',
        placement: 'none',
        optional: true,
        pattern: { regex: /^whsec_[A-Za-z0-9+/=]+$/, message: 'a signing secret starts with whsec_' },
      },
    },
  },
  config,
  // Resend allows 2 requests per second per team by default (more on request); its 429s carry retry-after.
  rateLimit: { perSecond: 2 },
  async checkConnection(ctx: ConnectorContext<Config>) {
    try {
      const domains = expectShape(domainList, (await errors.call(() => ctx.http.get('domains'))).data, 'GET /domains').data;
      const names = domains.map((domain) => domain.name);
      return {
        ok: true,
        account: {
          // Resend has no account endpoint: the oldest domain's id names the team well enough.
          id: domains.at(-1)?.id ?? 'resend',
          name: names.length === 0 ? 'Resend (no domains yet)' : `Resend: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` +${names.length - 3}` : ''}`,
          details: { access: 'full_access', domains: names.length },
        },
      };
    } catch (error) {
      // A sending-only key is a working key: Resend says so (401 restricted_api_key) rather than refusing it.
      if (error instanceof ProviderError && resendErrorOf(error.body)?.name === 'restricted_api_key') {
        return { ok: true, account: { id: 'resend', name: 'Resend (sending access)', details: { access: 'sending_access' } } };
      }
      return errors.checkFailure(error);
    }
  },
  actions: [
    defineAction<Config, z.output<typeof sendEmailInput>, z.infer<typeof sent>>({
      name: 'sendEmail',
      title: 'Send an email',
      description: 'Sends one email (POST /emails), now or at scheduledAt; answers its id.',
      input: sendEmailInput,
      output: sent,
      async run(ctx, input) {
        const body = {
          ...wireEmail(input),
          ...(input.scheduledAt !== undefined ? { scheduled_at: input.scheduledAt } : {}),
          ...(input.attachments !== undefined ? { attachments: input.attachments.map((a) => ({ filename: a.filename, content: a.content, ...(a.contentType ? { content_type: a.contentType } : {}) })) } : {}),
        };
        const answer = await errors.call(() => ctx.http.post('emails', body, idempotent(input.idempotencyKey)));
        return expectShape(sent, answer.data, 'POST /emails');
      },
    }),
    defineAction<Config, z.output<typeof sendBatchInput>, z.infer<typeof batchSent>>({
      name: 'sendBatch',
      title: 'Send a batch',
      description: 'Sends up to 100 emails in one call (POST /emails/batch); answers their ids in order.',
      input: sendBatchInput,
      output: batchSent,
      async run(ctx, input) {
        const answer = await errors.call(() => ctx.http.post('emails/batch', input.emails.map(wireEmail), idempotent(input.idempotencyKey)));
        return expectShape(batchSent, answer.data, 'POST /emails/batch');
      },
    }),
    defineAction({
      name: 'getEmail',
      title: 'Get email status',
      description: 'One sent email with its last delivery event (GET /emails/{id}): delivered, bounced, complained, opened…',
      input: z.object({ id: z.string().regex(/^[0-9a-f-]{36}$/i, 'an email id as sendEmail answers it (a UUID)') }),
      output: emailStatus,
      async run(ctx: ConnectorContext<Config>, input: { id: string }) {
        const answer = await errors.call(() => ctx.http.get(`emails/${input.id}`));
        return expectShape(emailStatus, answer.data, 'GET /emails/{id}');
      },
    }),
    defineAction<Config, z.output<typeof listTemplatesInput>, z.infer<typeof listTemplatesOutput>>({
      name: 'listTemplates',
      title: 'List templates',
      description: 'One page of the team’s templates (GET /templates); pass `after` back for the next.',
      input: listTemplatesInput,
      output: listTemplatesOutput,
      async run(ctx, input) {
        const answer = await errors.call(() => ctx.http.get('templates', { query: { limit: input.limit, after: input.after } }));
        const page = expectShape(templateList, answer.data, 'GET /templates');
        // Resend's cursor is the id of the last item of a page.
        return { items: page.data, hasMore: page.has_more, after: page.has_more ? (page.data.at(-1)?.id ?? null) : null };
      },
    }),
  ],
  webhooks: {
    verification: { kind: 'standard-webhooks', secretField: 'webhookSecret' },
    // `{ type: 'email.bounced', created_at, data: { email_id, to: [...], … } }`.
    eventType: (payload) => {
      const type = (payload as { type?: unknown } | null)?.type;
      return typeof type === 'string' && /^[a-z_]+(\.[a-z_]+)+$/.test(type) ? type : 'unknown';
    },
    normalize(payload): NormalizedEvent {
      const body = payload as { type?: string; created_at?: string; data?: Record<string, unknown> } | null;
      const data = body?.data ?? {};
      const to = Array.isArray(data.to) ? data.to.filter((item): item is string => typeof item === 'string') : typeof data.to === 'string' ? [data.to] : [];
      const bounce = data.bounce as { type?: unknown } | undefined;
      return {
        type: body?.type ?? 'unknown',
        emailId: typeof data.email_id === 'string' ? data.email_id : null,
        to,
        from: typeof data.from === 'string' ? data.from : null,
        subject: typeof data.subject === 'string' ? data.subject : null,
        occurredAt: body?.created_at ?? null,
        bounceType: typeof bounce?.type === 'string' ? bounce.type : null,
        tags: data.tags ?? null,
      };
    },
    deliveryId: (_payload, headers) => headers['svix-id'] ?? headers['webhook-id'],
  },
});
