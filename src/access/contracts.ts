// Request and response shapes of the access routes, shared by the server, the tests and the dashboard.
import { z } from 'zod';
import { ROLES } from '../platform/db/schema.ts';
import { isoDate } from '../platform/http/pagination.ts';

export const workspaceView = z.object({ id: z.string(), slug: z.string(), name: z.string() });

export const sessionView = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string(), mustChangePassword: z.boolean() }),
  workspace: workspaceView,
  role: z.enum(ROLES),
  workspaces: z.array(workspaceView.extend({ role: z.enum(ROLES) })),
});

export const memberView = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  createdAt: isoDate,
});

export const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'use 2–41 lower-case letters, digits and dashes, starting with a letter or digit');

export const newPassword = z.string().min(12, 'must be at least 12 characters').max(200);
