// The OAuth routes: the workspace's OAuth apps, starting an authorization, and the provider's callback.
import { deleteOAuthAppRoute } from './routes/oauth-apps.delete.ts';
import { listOAuthAppsRoute } from './routes/oauth-apps.list.ts';
import { saveOAuthAppRoute } from './routes/oauth-apps.save.ts';
import { oauthCallback } from './routes/oauth.callback.ts';
import { startOAuthRedirect } from './routes/oauth.start.ts';
import { startOAuthJson } from './routes/oauth.start-json.ts';

export const oauthRoutes = [listOAuthAppsRoute, saveOAuthAppRoute, deleteOAuthAppRoute, startOAuthRedirect, startOAuthJson, oauthCallback];
