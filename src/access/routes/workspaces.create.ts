// POST /api/v1/workspaces: a signed-in user creates a workspace and becomes its owner.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { memberships, workspaces } from '../../platform/db/schema.ts';
import { ApiError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { recordAudit } from '../../audit/record-audit.ts';
import { slug, workspaceView } from '../contracts.ts';

export function createWorkspace(app: App, hub: HubContext) {
  app.post(
    '/api/v1/workspaces',
    {
      config: { access: 'session' },
      schema: {
        tags: ['access'],
        summary: 'Create a workspace (you become its owner)',
        body: z.object({ name: z.string().trim().min(1).max(100), slug }),
        response: { 201: z.object({ workspace: workspaceView }) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.kind !== 'user') throw new ApiError('unauthenticated', 'Not a dashboard session.');
      const id = newId();
      await hub.db.transaction(async (tx) => {
        const [taken] = await tx.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.slug, request.body.slug));
        if (taken) {
          throw new ApiError('conflict', `The slug "${request.body.slug}" is taken; choose another.`, {
            details: [{ field: 'body.slug', message: 'is taken' }],
          });
        }
        await tx.insert(workspaces).values({ id, slug: request.body.slug, name: request.body.name });
        await tx.insert(memberships).values({ workspaceId: id, userId: principal.userId, role: 'owner' });
        await recordAudit(tx, { workspaceId: id, actor: principal, action: 'workspace.created', targetType: 'workspace', targetId: id, ip: request.ip, metadata: { slug: request.body.slug } });
      });
      return reply.code(201).send({ workspace: { id, slug: request.body.slug, name: request.body.name } });
    },
  );
}
