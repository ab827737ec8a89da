-- OAuth: the token-refresh lease on integrations, the masked client secret of OAuth apps, and who started
-- (and when) an authorization flow. Written idempotently (IF NOT EXISTS, duplicate constraint ignored):
-- 0002_webhooks was generated while these columns were already in the schema and may carry them too.
ALTER TABLE "integrations" ADD COLUMN IF NOT EXISTS "refresh_lease_id" text;--> statement-breakpoint
ALTER TABLE "integrations" ADD COLUMN IF NOT EXISTS "refresh_lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "oauth_apps" ADD COLUMN IF NOT EXISTS "client_secret_hint" text;--> statement-breakpoint
ALTER TABLE "oauth_flows" ADD COLUMN IF NOT EXISTS "created_by_api_key_id" uuid;--> statement-breakpoint
ALTER TABLE "oauth_flows" ADD COLUMN IF NOT EXISTS "created_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
DO $$ BEGIN
  ALTER TABLE "oauth_flows" ADD CONSTRAINT "oauth_flows_created_by_api_key_id_api_keys_id_fk" FOREIGN KEY ("created_by_api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
