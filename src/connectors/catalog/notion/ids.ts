// Notion object ids as users have them: a UUID with or without dashes, or a link copied from the app.
// Normalising here also keeps anything but an id out of the URL paths the connector builds.
import { z } from 'zod';

// 32 hex digits, bare or dashed 8-4-4-4-12, not glued to more hex (a page title ending in "cafe" is not id).
const ID = /(?<![0-9a-f])([0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![0-9a-f])/gi;

function lastIdIn(text: string): string | undefined {
  const matches = [...text.matchAll(ID)];
  return matches.at(-1)?.[1];
}

function dashed(id: string): string {
  const hex = id.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id in `value`, dashed and lower-case, or undefined. In a link the id is the last one in the path
 * (`?v=` names a database view, not the database); `fromFragment` prefers `#…`, where block links keep theirs.
 */
export function notionId(value: string, options: { fromFragment?: boolean } = {}): string | undefined {
  const text = value.trim();
  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return undefined;
    }
    const fromPath = lastIdIn(url.pathname);
    const found = options.fromFragment ? (lastIdIn(url.hash) ?? fromPath) : fromPath;
    return found ? dashed(found) : undefined;
  }
  const whole = lastIdIn(text);
  return whole && whole.length === text.length ? dashed(whole) : undefined;
}

/** An input field taking a Notion id or link and handing the action the dashed id. */
export function notionIdField(what: string, options: { fromFragment?: boolean } = {}) {
  return z
    .string()
    .trim()
    .min(1)
    .transform((value, ctx) => {
      const id = notionId(value, options);
      if (!id) {
        ctx.addIssue({ code: 'custom', message: `expected a Notion ${what} id (32 hex digits) or a link to it` });
        return z.NEVER;
      }
      return id;
    })
    .describe(`The ${what} id, or its link copied from Notion`);
}
