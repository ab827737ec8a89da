// Idempotency-Key on POST: the first response is stored and returned again for a repeat of the same
// request by the same caller; a key reused for a different request is refused. Keys live 24 hours.
import { and, eq, lt } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.ts';
import { idempotencyKeys } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import { sha256Hex } from '../ids.ts';

export const IDEMPOTENCY_TTL_HOURS = 24;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { principalId: string; key: string };
  }
}

export function createIdempotency(db: Db) {
  /** preHandler, after authentication: claims the key or answers with the stored response. */
  async function claim(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined || !request.principal) return;
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw new ApiError('validation_failed', 'The Idempotency-Key header must be 1–255 printable ASCII characters.', {
        details: [{ field: 'headers.idempotency-key', message: 'must be 1–255 printable ASCII characters' }],
      });
    }
    const principalId = request.principal.id;
    const requestHash = sha256Hex(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`);
    const inserted = await db
      .insert(idempotencyKeys)
      .values({
        principalId,
        key,
        workspaceId: request.principal.workspaceId,
        method: request.method,
        path: request.url,
        requestHash,
      })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length > 0) {
      request.idempotency = { principalId, key };
      return;
    }
    const [existing] = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.principalId, principalId), eq(idempotencyKeys.key, key)));
    if (!existing) throw new ApiError('idempotency_key_in_use', 'This Idempotency-Key was just released; retry the request.');
    if (existing.requestHash !== requestHash) {
      throw new ApiError('idempotency_key_reused', 'This Idempotency-Key was already used for a different request; use a new key.');
    }
    if (existing.statusCode === null) {
      throw new ApiError('idempotency_key_in_use', 'A request with this Idempotency-Key is still running; retry shortly.', {
        headers: { 'Retry-After': '1' },
      });
    }
    reply.header('Idempotent-Replayed', 'true');
    reply.header('content-type', 'application/json; charset=utf-8');
    await reply.code(existing.statusCode).send(existing.responseBody ?? '');
  }

  /** onSend: stores the response of a claimed key; a server error releases the key so a retry runs again. */
  async function store(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
    const claimed = request.idempotency;
    if (!claimed) return payload;
    const where = and(eq(idempotencyKeys.principalId, claimed.principalId), eq(idempotencyKeys.key, claimed.key));
    if (reply.statusCode >= 500) {
      await db.delete(idempotencyKeys).where(where);
    } else {
      const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
      await db.update(idempotencyKeys).set({ statusCode: reply.statusCode, responseBody: body }).where(where);
    }
    return payload;
  }

  async function prune(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - IDEMPOTENCY_TTL_HOURS * 3_600_000);
    const removed = await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, cutoff)).returning({ key: idempotencyKeys.key });
    return removed.length;
  }

  return { claim, store, prune };
}
