// Cursor pagination shared by list routes: `?cursor=<id of the last item>&limit=` → `{ items, nextCursor }`.
import { z } from 'zod';

export const pageQuery = {
  cursor: z.uuid().optional().describe('The nextCursor of the previous page.'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
};

export function page<T extends { id: string }>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  // Callers fetch limit + 1 rows: the extra one only says whether another page exists.
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

export const isoDate = z.string().describe('ISO 8601 timestamp (UTC)');
export function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
