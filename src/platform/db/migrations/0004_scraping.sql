CREATE TABLE "scrape_chunks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"scrape_id" uuid NOT NULL,
	"page_id" uuid NOT NULL,
	"url" text NOT NULL,
	"position" integer NOT NULL,
	"heading_path" jsonb NOT NULL,
	"content" text NOT NULL,
	"content_hash" text NOT NULL,
	"embedding_model" text,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple', content)) STORED,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scrape_embeddings" (
	"workspace_id" uuid NOT NULL,
	"model" text NOT NULL,
	"content_hash" text NOT NULL,
	"dimensions" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scrape_embeddings_workspace_id_model_content_hash_pk" PRIMARY KEY("workspace_id","model","content_hash")
);
--> statement-breakpoint
CREATE TABLE "scrape_host_schedule" (
	"host" text PRIMARY KEY NOT NULL,
	"next_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scrape_leases" (
	"key" text NOT NULL,
	"slot" integer NOT NULL,
	"holder" text,
	"expires_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "scrape_leases_key_slot_pk" PRIMARY KEY("key","slot")
);
--> statement-breakpoint
CREATE TABLE "scrape_pages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"scrape_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"url" text NOT NULL,
	"host" text NOT NULL,
	"depth" integer NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"engine" text,
	"final_url" text,
	"http_status" integer,
	"content_type" text,
	"title" text,
	"markdown" text,
	"content_hash" text,
	"simhash" bigint,
	"duplicate_of" uuid,
	"error_code" text,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"fetch_ms" integer,
	"bytes" integer,
	"empty" boolean DEFAULT false NOT NULL,
	"job_id" uuid,
	"scheduled_at" timestamp with time zone,
	"fetched_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scrape_products" (
	"id" uuid PRIMARY KEY NOT NULL,
	"scrape_id" uuid NOT NULL,
	"page_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"url" text NOT NULL,
	"name" text NOT NULL,
	"sku" text,
	"price" double precision,
	"currency" text,
	"availability" text,
	"brand" text,
	"image" text,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scrape_robots" (
	"origin" text PRIMARY KEY NOT NULL,
	"verdict" text NOT NULL,
	"http_status" integer,
	"body" text,
	"reason" text,
	"fetched_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scrape_settings" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"defaults" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scrapes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"status" text NOT NULL,
	"step" text DEFAULT 'discover' NOT NULL,
	"options" jsonb NOT NULL,
	"url" text NOT NULL,
	"engine" text NOT NULL,
	"discovered" integer DEFAULT 0 NOT NULL,
	"processed" integer DEFAULT 0 NOT NULL,
	"succeeded" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"blocked" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"duplicates" integer DEFAULT 0 NOT NULL,
	"products" integer DEFAULT 0 NOT NULL,
	"chunks" integer DEFAULT 0 NOT NULL,
	"embedded" integer DEFAULT 0 NOT NULL,
	"rate_per_second" real,
	"progress_at" timestamp with time zone,
	"crawl_delays" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text,
	"rerun_of" uuid,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "scrape_chunks" ADD CONSTRAINT "scrape_chunks_scrape_id_scrapes_id_fk" FOREIGN KEY ("scrape_id") REFERENCES "public"."scrapes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scrape_embeddings" ADD CONSTRAINT "scrape_embeddings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scrape_pages" ADD CONSTRAINT "scrape_pages_scrape_id_scrapes_id_fk" FOREIGN KEY ("scrape_id") REFERENCES "public"."scrapes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scrape_products" ADD CONSTRAINT "scrape_products_scrape_id_scrapes_id_fk" FOREIGN KEY ("scrape_id") REFERENCES "public"."scrapes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scrape_settings" ADD CONSTRAINT "scrape_settings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scrapes" ADD CONSTRAINT "scrapes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scrapes" ADD CONSTRAINT "scrapes_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "scrape_chunks_scrape_idx" ON "scrape_chunks" USING btree ("scrape_id","page_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "scrape_chunks_dedupe_idx" ON "scrape_chunks" USING btree ("scrape_id","content_hash");--> statement-breakpoint
CREATE INDEX "scrape_chunks_workspace_idx" ON "scrape_chunks" USING btree ("workspace_id","content_hash");--> statement-breakpoint
CREATE INDEX "scrape_chunks_search_idx" ON "scrape_chunks" USING gin ("search");--> statement-breakpoint
CREATE UNIQUE INDEX "scrape_pages_url_idx" ON "scrape_pages" USING btree ("scrape_id","url");--> statement-breakpoint
CREATE INDEX "scrape_pages_status_idx" ON "scrape_pages" USING btree ("scrape_id","status");--> statement-breakpoint
CREATE INDEX "scrape_pages_hash_idx" ON "scrape_pages" USING btree ("scrape_id","content_hash");--> statement-breakpoint
CREATE INDEX "scrape_pages_health_idx" ON "scrape_pages" USING btree ("workspace_id","fetched_at");--> statement-breakpoint
CREATE INDEX "scrape_products_scrape_idx" ON "scrape_products" USING btree ("scrape_id","id");--> statement-breakpoint
CREATE INDEX "scrapes_workspace_idx" ON "scrapes" USING btree ("workspace_id","id");