CREATE TABLE "kpi_metrics" (
	"workspace_id" uuid NOT NULL,
	"integration_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"date" date NOT NULL,
	"dimensions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"value" double precision NOT NULL,
	"unit" text NOT NULL,
	"run_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kpi_metrics_workspace_id_integration_id_metric_date_dimensions_pk" PRIMARY KEY("workspace_id","integration_id","metric","date","dimensions")
);
--> statement-breakpoint
CREATE TABLE "sync_record_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"integration_id" uuid NOT NULL,
	"model" text NOT NULL,
	"external_id" text NOT NULL,
	"kind" text NOT NULL,
	"content_hash" text,
	"previous_hash" text,
	"run_id" uuid,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_records" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"integration_id" uuid NOT NULL,
	"model" text NOT NULL,
	"external_id" text NOT NULL,
	"data" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"last_change" text NOT NULL,
	"deleted_at" timestamp with time zone,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"modified_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_run_id" uuid
);
--> statement-breakpoint
CREATE TABLE "sync_run_seen" (
	"run_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	CONSTRAINT "sync_run_seen_run_id_external_id_pk" PRIMARY KEY("run_id","external_id")
);
--> statement-breakpoint
CREATE TABLE "sync_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"integration_id" uuid NOT NULL,
	"connector_id" text NOT NULL,
	"sync_name" text NOT NULL,
	"model" text NOT NULL,
	"trigger" text NOT NULL,
	"status" text NOT NULL,
	"full_sync" boolean NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer NOT NULL,
	"job_id" uuid,
	"next_attempt_at" timestamp with time zone,
	"checkpoint" jsonb,
	"step" text,
	"processed" integer DEFAULT 0 NOT NULL,
	"total" integer,
	"rate_per_second" double precision,
	"added" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"deleted" integer DEFAULT 0 NOT NULL,
	"error" text,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_states" (
	"workspace_id" uuid NOT NULL,
	"integration_id" uuid NOT NULL,
	"sync_name" text NOT NULL,
	"frequency_override" text,
	"paused" boolean DEFAULT false NOT NULL,
	"checkpoint" jsonb,
	"next_run_at" timestamp with time zone,
	"last_run_id" uuid,
	"last_run_at" timestamp with time zone,
	"last_status" text,
	"last_success_at" timestamp with time zone,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"last_added" integer DEFAULT 0 NOT NULL,
	"last_updated" integer DEFAULT 0 NOT NULL,
	"last_deleted" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_states_integration_id_sync_name_pk" PRIMARY KEY("integration_id","sync_name")
);
--> statement-breakpoint
ALTER TABLE "kpi_metrics" ADD CONSTRAINT "kpi_metrics_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_record_changes" ADD CONSTRAINT "sync_record_changes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_records" ADD CONSTRAINT "sync_records_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_states" ADD CONSTRAINT "sync_states_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kpi_metrics_metric_idx" ON "kpi_metrics" USING btree ("workspace_id","metric","date");--> statement-breakpoint
CREATE INDEX "sync_record_changes_record_idx" ON "sync_record_changes" USING btree ("integration_id","model","external_id","id");--> statement-breakpoint
CREATE INDEX "sync_record_changes_changed_idx" ON "sync_record_changes" USING btree ("changed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sync_records_key_idx" ON "sync_records" USING btree ("workspace_id","integration_id","model","external_id");--> statement-breakpoint
CREATE INDEX "sync_records_page_idx" ON "sync_records" USING btree ("integration_id","model","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "sync_runs_one_active_idx" ON "sync_runs" USING btree ("integration_id","sync_name") WHERE "sync_runs"."status" in ('queued', 'running', 'retrying');--> statement-breakpoint
CREATE INDEX "sync_runs_workspace_idx" ON "sync_runs" USING btree ("workspace_id","id");--> statement-breakpoint
CREATE INDEX "sync_runs_integration_idx" ON "sync_runs" USING btree ("integration_id","sync_name","id");--> statement-breakpoint
CREATE INDEX "sync_states_due_idx" ON "sync_states" USING btree ("next_run_at");