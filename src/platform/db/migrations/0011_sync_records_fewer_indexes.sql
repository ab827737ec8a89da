DROP INDEX "sync_records_key_idx";--> statement-breakpoint
DROP INDEX "sync_record_changes_changed_idx";--> statement-breakpoint
-- The old primary key (seq) was declared inline in 0007, so PostgreSQL named it sync_records_pkey.
ALTER TABLE "sync_records" DROP CONSTRAINT "sync_records_pkey";--> statement-breakpoint
ALTER TABLE "sync_records" ADD CONSTRAINT "sync_records_pkey" PRIMARY KEY("workspace_id","integration_id","model","external_id");--> statement-breakpoint
CREATE INDEX "sync_record_changes_changed_idx" ON "sync_record_changes" USING brin ("changed_at");