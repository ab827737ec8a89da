CREATE TABLE "custom_connector_versions" (
	"custom_connector_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"workspace_id" uuid NOT NULL,
	"definition" jsonb NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "custom_connector_versions_custom_connector_id_version_pk" PRIMARY KEY("custom_connector_id","version")
);
--> statement-breakpoint
CREATE TABLE "custom_connectors" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"kind" text NOT NULL,
	"latest_version" integer NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "integration_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"integration_id" uuid NOT NULL,
	"connector_id" text NOT NULL,
	"connector_version" integer,
	"kind" text NOT NULL,
	"action" text NOT NULL,
	"status" text NOT NULL,
	"job_id" uuid NOT NULL,
	"input" jsonb,
	"output" jsonb,
	"error" text,
	"external_id" text,
	"external_state" text,
	"log" jsonb,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "custom_connector_versions" ADD CONSTRAINT "custom_connector_versions_custom_connector_id_custom_connectors_id_fk" FOREIGN KEY ("custom_connector_id") REFERENCES "public"."custom_connectors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "custom_connector_versions" ADD CONSTRAINT "custom_connector_versions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "custom_connector_versions" ADD CONSTRAINT "custom_connector_versions_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "custom_connectors" ADD CONSTRAINT "custom_connectors_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "custom_connectors" ADD CONSTRAINT "custom_connectors_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integration_runs" ADD CONSTRAINT "integration_runs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integration_runs" ADD CONSTRAINT "integration_runs_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integration_runs" ADD CONSTRAINT "integration_runs_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "custom_connector_versions_workspace_idx" ON "custom_connector_versions" USING btree ("workspace_id");--> statement-breakpoint
CREATE UNIQUE INDEX "custom_connectors_workspace_slug_idx" ON "custom_connectors" USING btree ("workspace_id","slug") WHERE "custom_connectors"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "integration_runs_integration_idx" ON "integration_runs" USING btree ("integration_id","id");--> statement-breakpoint
CREATE INDEX "integration_runs_workspace_idx" ON "integration_runs" USING btree ("workspace_id","id");