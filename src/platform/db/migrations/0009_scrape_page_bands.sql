CREATE TABLE "scrape_page_bands" (
	"scrape_id" uuid NOT NULL,
	"band" integer NOT NULL,
	"page_id" uuid NOT NULL,
	CONSTRAINT "scrape_page_bands_scrape_id_band_page_id_pk" PRIMARY KEY("scrape_id","band","page_id")
);
--> statement-breakpoint
ALTER TABLE "scrape_page_bands" ADD CONSTRAINT "scrape_page_bands_scrape_id_scrapes_id_fk" FOREIGN KEY ("scrape_id") REFERENCES "public"."scrapes"("id") ON DELETE cascade ON UPDATE no action;