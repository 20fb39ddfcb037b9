CREATE TABLE "case_links" (
	"id" serial PRIMARY KEY NOT NULL,
	"case_id" integer NOT NULL,
	"linked_case_id" integer NOT NULL,
	"kind" text NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"requests_per_minute" integer DEFAULT 60 NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "case_publications" (
	"case_id" integer PRIMARY KEY NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"publish_after" timestamp with time zone,
	"source_text" text NOT NULL,
	"masks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"public_text" text NOT NULL,
	"edited_by" integer,
	"decided_by" integer,
	"decided_at" timestamp with time zone,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fix_checks" (
	"id" serial PRIMARY KEY NOT NULL,
	"case_id" integer NOT NULL,
	"token" text NOT NULL,
	"ask_at" timestamp with time zone NOT NULL,
	"asked_at" timestamp with time zone,
	"answer" text,
	"comment" text,
	"answered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fix_checks_token_unique" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "open311_sources" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"service_code" text,
	"jurisdiction_id" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"cursor" timestamp with time zone,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"last_run_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "open311_sources_url_unique" UNIQUE("url")
);
--> statement-breakpoint
CREATE TABLE "public_case_updates" (
	"id" serial PRIMARY KEY NOT NULL,
	"case_id" integer NOT NULL,
	"status" text NOT NULL,
	"text" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "public_cases" (
	"case_id" integer PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"status" text NOT NULL,
	"type" text,
	"category_id" integer,
	"category_slug" text,
	"category_name" text,
	"district_id" integer,
	"district_name" text,
	"team_name" text,
	"text" text NOT NULL,
	"location_text" text,
	"lat" double precision,
	"lon" double precision,
	"forwarded_to" text,
	"status_note" text,
	"duplicate_of_number" text,
	"photo_ids" integer[] DEFAULT '{}'::int[] NOT NULL,
	"follower_count" integer DEFAULT 0 NOT NULL,
	"confirmed_fixed" boolean,
	"reported_at" timestamp with time zone NOT NULL,
	"first_answer_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"published_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "public_cases_number_unique" UNIQUE("number")
);
--> statement-breakpoint
CREATE TABLE "public_subscriptions" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"contact_id" integer NOT NULL,
	"case_id" integer,
	"district_id" integer,
	"category_id" integer,
	"lat" double precision,
	"lon" double precision,
	"radius_m" integer,
	"token" text NOT NULL,
	"confirmed_at" timestamp with time zone,
	"unsubscribed_at" timestamp with time zone,
	"notified_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "public_subscriptions_token_unique" UNIQUE("token")
);
--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "released_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "released_by" integer;--> statement-breakpoint
ALTER TABLE "categories" ADD COLUMN "publication" text DEFAULT 'moderated' NOT NULL;--> statement-breakpoint
ALTER TABLE "categories" ADD COLUMN "publish_delay_minutes" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "categories" ADD COLUMN "mask_house_numbers" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "original_text" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "original_html" text;--> statement-breakpoint
ALTER TABLE "case_reporters" ADD COLUMN "contact_id" integer;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "followup_after_close" text DEFAULT 'reopen' NOT NULL;--> statement-breakpoint
ALTER TABLE "case_links" ADD CONSTRAINT "case_links_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_links" ADD CONSTRAINT "case_links_linked_case_id_cases_id_fk" FOREIGN KEY ("linked_case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_links" ADD CONSTRAINT "case_links_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_publications" ADD CONSTRAINT "case_publications_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_publications" ADD CONSTRAINT "case_publications_edited_by_users_id_fk" FOREIGN KEY ("edited_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_publications" ADD CONSTRAINT "case_publications_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fix_checks" ADD CONSTRAINT "fix_checks_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "public_case_updates" ADD CONSTRAINT "public_case_updates_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "public_cases" ADD CONSTRAINT "public_cases_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "public_cases" ADD CONSTRAINT "public_cases_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "public_cases" ADD CONSTRAINT "public_cases_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "public_subscriptions" ADD CONSTRAINT "public_subscriptions_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "public_subscriptions" ADD CONSTRAINT "public_subscriptions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "public_subscriptions" ADD CONSTRAINT "public_subscriptions_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "public_subscriptions" ADD CONSTRAINT "public_subscriptions_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "case_links_pair_idx" ON "case_links" USING btree ("case_id","linked_case_id");--> statement-breakpoint
CREATE INDEX "case_links_linked_idx" ON "case_links" USING btree ("linked_case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_hash_idx" ON "api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "case_publications_due_idx" ON "case_publications" USING btree ("publish_after") WHERE "case_publications"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "fix_checks_case_idx" ON "fix_checks" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "fix_checks_due_idx" ON "fix_checks" USING btree ("ask_at") WHERE "fix_checks"."asked_at" is null;--> statement-breakpoint
CREATE INDEX "public_case_updates_case_idx" ON "public_case_updates" USING btree ("case_id","created_at");--> statement-breakpoint
CREATE INDEX "public_case_updates_created_idx" ON "public_case_updates" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "public_cases_location_idx" ON "public_cases" USING btree ("lat","lon");--> statement-breakpoint
CREATE INDEX "public_cases_updated_idx" ON "public_cases" USING btree ("updated_at" DESC NULLS LAST,"case_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "public_cases_reported_idx" ON "public_cases" USING btree ("reported_at" DESC NULLS LAST,"case_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "public_cases_status_reported_idx" ON "public_cases" USING btree ("status","reported_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "public_cases_category_idx" ON "public_cases" USING btree ("category_id","reported_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "public_cases_district_idx" ON "public_cases" USING btree ("district_id","reported_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "public_subscriptions_case_idx" ON "public_subscriptions" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "public_subscriptions_contact_idx" ON "public_subscriptions" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "public_subscriptions_area_idx" ON "public_subscriptions" USING btree ("district_id","category_id") WHERE "public_subscriptions"."kind" = 'area';--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_released_by_users_id_fk" FOREIGN KEY ("released_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_reporters" ADD CONSTRAINT "case_reporters_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_reporters_contact_idx" ON "case_reporters" USING btree ("contact_id");--> statement-breakpoint
INSERT INTO "contacts" ("kind", "address", "display_name")
  SELECT DISTINCT ON (lower("email")) 'email', lower("email"), "name" FROM "case_reporters"
   WHERE "email" IS NOT NULL ORDER BY lower("email"), "created_at" DESC
  ON CONFLICT DO NOTHING;--> statement-breakpoint
UPDATE "case_reporters" SET "contact_id" = c."id" FROM "contacts" c
 WHERE c."kind" = 'email' AND c."address" = lower("case_reporters"."email");
