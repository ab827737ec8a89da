// The audit entry as the API returns it, shared by server, tests and dashboard.
import { z } from 'zod';
import { isoDate } from '../platform/http/pagination.ts';

export const auditEntry = z.object({
  id: z.string(),
  actorType: z.enum(['user', 'api_key', 'system']),
  actorId: z.string().nullable(),
  actorLabel: z.string(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  ip: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: isoDate,
});
