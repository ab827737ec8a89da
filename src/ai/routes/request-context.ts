// Per-request helpers of the AI routes: the caller's task type header, and a signal that fires when the
// caller hangs up, so provider calls stop with it.
import type { FastifyReply, FastifyRequest } from 'fastify';

export const TASK_TYPE_HEADER = 'x-switchboard-task-type';

export function taskTypeHeader(request: FastifyRequest): string | undefined {
  const value = request.headers[TASK_TYPE_HEADER];
  const text = Array.isArray(value) ? value[0] : value;
  return text && /^[\w.:-]{1,64}$/.test(text) ? text : undefined;
}

export function callerGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  // The response closes when it is finished or when the connection drops; only the latter aborts.
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}
