CREATE TABLE "calendar_sources" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"url" text,
	"etag" text,
	"last_modified" text,
	"last_polled_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "council_meetings" (
	"id" serial PRIMARY KEY NOT NULL,
	"oparl_id" text NOT NULL,
	"name" text NOT NULL,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"place" text,
	"web_url" text,
	"cancelled" boolean DEFAULT false NOT NULL,
	"modified" timestamp with time zone,
	"deleted" boolean DEFAULT false NOT NULL,
	CONSTRAINT "council_meetings_oparl_id_unique" UNIQUE("oparl_id")
);
--> statement-breakpoint
CREATE TABLE "council_papers" (
	"id" serial PRIMARY KEY NOT NULL,
	"oparl_id" text NOT NULL,
	"name" text NOT NULL,
	"reference" text,
	"paper_type" text,
	"date" text,
	"web_url" text,
	"main_file_url" text,
	"modified" timestamp with time zone,
	"deleted" boolean DEFAULT false NOT NULL,
	"post_id" integer,
	CONSTRAINT "council_papers_oparl_id_unique" UNIQUE("oparl_id")
);
--> statement-breakpoint
CREATE TABLE "council_sources" (
	"id" serial PRIMARY KEY NOT NULL,
	"system_url" text NOT NULL,
	"body_url" text,
	"cursors" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"last_run_at" timestamp with time zone,
	"last_error" text,
	CONSTRAINT "council_sources_system_url_unique" UNIQUE("system_url")
);
--> statement-breakpoint
CREATE TABLE "link_checks" (
	"url" text PRIMARY KEY NOT NULL,
	"ok" boolean NOT NULL,
	"http_status" integer,
	"reason" text,
	"checked_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plain_language_terms" (
	"id" serial PRIMARY KEY NOT NULL,
	"term" text NOT NULL,
	"suggestion" text NOT NULL,
	"created_by_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "post_ideas" (
	"id" serial PRIMARY KEY NOT NULL,
	"source_id" integer NOT NULL,
	"uid" text NOT NULL,
	"recurrence_id" text DEFAULT '' NOT NULL,
	"title" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"all_day" boolean DEFAULT false NOT NULL,
	"place" text,
	"description" text,
	"status" text DEFAULT 'new' NOT NULL,
	"post_id" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "council_papers" ADD CONSTRAINT "council_papers_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plain_language_terms" ADD CONSTRAINT "plain_language_terms_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "post_ideas" ADD CONSTRAINT "post_ideas_source_id_calendar_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."calendar_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "post_ideas" ADD CONSTRAINT "post_ideas_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "council_meetings_starts_idx" ON "council_meetings" USING btree ("starts_at");--> statement-breakpoint
CREATE INDEX "council_papers_date_idx" ON "council_papers" USING btree ("date");--> statement-breakpoint
CREATE UNIQUE INDEX "plain_language_terms_term_idx" ON "plain_language_terms" USING btree (lower("term"));--> statement-breakpoint
CREATE UNIQUE INDEX "post_ideas_occurrence_idx" ON "post_ideas" USING btree ("source_id","uid","recurrence_id");--> statement-breakpoint
CREATE INDEX "post_ideas_starts_idx" ON "post_ideas" USING btree ("starts_at");