// Endpoint presets: what each automation platform's webhook URLs look like, and the defaults that suit it.
// A preset refuses a URL that would silently lose events (an n8n test URL) with a message saying why.
import type { EndpointPreset } from '../tables.ts';

export interface Preset {
  id: EndpointPreset;
  label: string;
  description: string;
  urlExample: string;
  /** Applied when the endpoint is created without its own limit; receivers of this kind take about this much. */
  rateLimitPerSecond: number | null;
  /** How to authenticate deliveries on the receiver's side, for the form. */
  headerHint: string | null;
  /** A problem with the URL for this preset, in words a person can act on; null when it fits. */
  checkUrl(url: URL): string | null;
}

const N8N_TEST_URL =
  'This is an n8n test URL (/webhook-test/…): n8n answers it only while the workflow editor is listening for a single test ' +
  'event, so deliveries would fail as soon as you close the editor. Use the production URL (/webhook/…) shown in the ' +
  "Webhook node's “Production URL” tab, and activate the workflow.";

export const PRESETS: Record<EndpointPreset, Preset> = {
  generic: {
    id: 'generic',
    label: 'Any URL',
    description: 'Any HTTPS receiver. Verify deliveries with a Standard Webhooks library and the signing secret.',
    urlExample: 'https://example.com/webhooks/switchboard',
    rateLimitPerSecond: null,
    headerHint: null,
    checkUrl: () => null,
  },
  n8n: {
    id: 'n8n',
    label: 'n8n',
    description: "An n8n workflow's Webhook node (method POST). n8n does not check signatures itself: protect the node with Header Auth.",
    urlExample: 'https://n8n.example.com/webhook/switchboard-events',
    rateLimitPerSecond: 50,
    headerHint: 'Header Auth: add a header such as X-Switchboard-Token here and the same name and value as the Webhook node’s credential.',
    checkUrl(url) {
      if (/\/webhook-test\//.test(url.pathname)) return N8N_TEST_URL;
      if (!/\/webhook\/[^/]/.test(url.pathname)) {
        return 'An n8n production webhook URL contains /webhook/<path>, e.g. https://n8n.example.com/webhook/switchboard-events.';
      }
      return null;
    },
  },
  zapier: {
    id: 'zapier',
    label: 'Zapier',
    description: 'A “Webhooks by Zapier” Catch Hook trigger.',
    urlExample: 'https://hooks.zapier.com/hooks/catch/123456/abcdef/',
    rateLimitPerSecond: 10,
    headerHint: 'Catch Hooks accept any caller who knows the URL: keep it secret, and filter on a header you add here.',
    checkUrl(url) {
      if (url.protocol !== 'https:' || url.hostname !== 'hooks.zapier.com' || !url.pathname.startsWith('/hooks/catch/')) {
        return 'A Zapier Catch Hook URL looks like https://hooks.zapier.com/hooks/catch/<account>/<hook>/ (copy it from the trigger step).';
      }
      return null;
    },
  },
  make: {
    id: 'make',
    label: 'Make',
    description: 'A Make (formerly Integromat) custom webhook.',
    urlExample: 'https://hook.eu1.make.com/abcdefghijklmnopqrstuvwxyz123456',
    rateLimitPerSecond: 10,
    headerHint: 'Make can require an API key header on a custom webhook: add the same header here.',
    checkUrl(url) {
      const host = /^hook\.([a-z0-9-]+\.)?make\.com$/.test(url.hostname) || url.hostname === 'hook.integromat.com';
      if (url.protocol !== 'https:' || !host || url.pathname.length < 2) {
        return 'A Make webhook URL looks like https://hook.<region>.make.com/<id> (copy it from the Custom webhook module).';
      }
      return null;
    },
  },
};
