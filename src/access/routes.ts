// The access capability's routes: sessions, workspaces, members and API keys.
import { changePassword } from './routes/account.change-password.ts';
import { createApiKeyRoute } from './routes/api-keys.create.ts';
import { listApiKeys } from './routes/api-keys.list.ts';
import { revokeApiKey } from './routes/api-keys.revoke.ts';
import { addMember } from './routes/members.add.ts';
import { listMembers } from './routes/members.list.ts';
import { removeMember } from './routes/members.remove.ts';
import { updateMember } from './routes/members.update.ts';
import { createSession } from './routes/session.create.ts';
import { deleteSession } from './routes/session.delete.ts';
import { getSession } from './routes/session.get.ts';
import { switchWorkspace } from './routes/session.switch-workspace.ts';
import { createWorkspace } from './routes/workspaces.create.ts';
import { getCurrentWorkspace } from './routes/workspaces.current.ts';
import { listWorkspaces } from './routes/workspaces.list.ts';

export const accessRoutes = [
  createSession,
  getSession,
  deleteSession,
  switchWorkspace,
  changePassword,
  listWorkspaces,
  createWorkspace,
  getCurrentWorkspace,
  listMembers,
  addMember,
  updateMember,
  removeMember,
  listApiKeys,
  createApiKeyRoute,
  revokeApiKey,
];
