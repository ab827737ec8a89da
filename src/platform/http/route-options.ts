// Per-route access rules, read by the authentication hook (./authenticate.ts).
import type { Role } from '../db/schema.ts';
import type { Principal } from '../auth/principal.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * public: anyone (sign-in, health). session: a signed-in dashboard user only.
     * Default: an API key or a session, whose role must reach `minRole`.
     */
    access?: 'public' | 'session';
    /** Lowest role allowed (default member). */
    minRole?: Role;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

export {};
