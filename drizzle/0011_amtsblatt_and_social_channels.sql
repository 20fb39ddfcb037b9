CREATE TABLE "amtsblatt_roles" (
	"user_id" integer PRIMARY KEY NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notice_counters" (
	"year" integer PRIMARY KEY NOT NULL,
	"last_number" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "post_kind_settings" (
	"kind" text PRIMARY KEY NOT NULL,
	"requires_approval" boolean NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
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
CREATE TABLE "fediverse_followers" (
	"actor_uri" text PRIMARY KEY NOT NULL,
	"handle" text,
	"inbox_uri" text NOT NULL,
	"shared_inbox_uri" text,
	"follow_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fediverse_kv" (
	"key" text[] NOT NULL,
	"value" jsonb NOT NULL,
	"expires_at" timestamp with time zone,
	CONSTRAINT "fediverse_kv_key_pk" PRIMARY KEY("key")
);
--> statement-breakpoint
CREATE TABLE "fediverse_notes" (
	"id" serial PRIMARY KEY NOT NULL,
	"uuid" text NOT NULL,
	"content_html" text NOT NULL,
	"to" jsonb NOT NULL,
	"cc" jsonb NOT NULL,
	"mentions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"in_reply_to" text,
	"attachments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "newsletter_subscriptions" (
	"id" serial PRIMARY KEY NOT NULL,
	"contact_id" integer NOT NULL,
	"kinds" text[] DEFAULT '{}'::text[] NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"token" text NOT NULL,
	"confirmed_at" timestamp with time zone,
	"unsubscribed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "newsletter_subscriptions_token_unique" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "telegram_conversations" (
	"account_id" integer NOT NULL,
	"chat_id" text NOT NULL,
	"step" text DEFAULT 'idle' NOT NULL,
	"draft" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"last_update_id" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "telegram_conversations_account_id_chat_id_pk" PRIMARY KEY("account_id","chat_id")
);
--> statement-breakpoint
ALTER TABLE "amtsblatt_roles" ADD CONSTRAINT "amtsblatt_roles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "council_papers" ADD CONSTRAINT "council_papers_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plain_language_terms" ADD CONSTRAINT "plain_language_terms_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "post_ideas" ADD CONSTRAINT "post_ideas_source_id_calendar_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."calendar_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "post_ideas" ADD CONSTRAINT "post_ideas_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "newsletter_subscriptions" ADD CONSTRAINT "newsletter_subscriptions_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telegram_conversations" ADD CONSTRAINT "telegram_conversations_account_id_channel_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."channel_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "council_meetings_starts_idx" ON "council_meetings" USING btree ("starts_at");--> statement-breakpoint
CREATE INDEX "council_papers_date_idx" ON "council_papers" USING btree ("date");--> statement-breakpoint
CREATE UNIQUE INDEX "plain_language_terms_term_idx" ON "plain_language_terms" USING btree (lower("term"));--> statement-breakpoint
CREATE UNIQUE INDEX "post_ideas_occurrence_idx" ON "post_ideas" USING btree ("source_id","uid","recurrence_id");--> statement-breakpoint
CREATE INDEX "post_ideas_starts_idx" ON "post_ideas" USING btree ("starts_at");--> statement-breakpoint
CREATE INDEX "fediverse_kv_expires_idx" ON "fediverse_kv" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "fediverse_notes_uuid_idx" ON "fediverse_notes" USING btree ("uuid");--> statement-breakpoint
CREATE INDEX "fediverse_notes_published_idx" ON "fediverse_notes" USING btree ("published_at");--> statement-breakpoint
CREATE INDEX "newsletter_subscriptions_contact_idx" ON "newsletter_subscriptions" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "newsletter_subscriptions_live_idx" ON "newsletter_subscriptions" USING btree ("id") WHERE "newsletter_subscriptions"."confirmed_at" is not null and "newsletter_subscriptions"."unsubscribed_at" is null;
--> statement-breakpoint
-- hand-written: a published official notice is immutable (its text, number, hash and publication time), and never deleted; a correction is a new notice
CREATE FUNCTION posts_notice_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.kind = 'notice' AND OLD.published_at IS NOT NULL THEN
      RAISE EXCEPTION 'published notice % cannot be deleted', OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.kind = 'notice' AND OLD.published_at IS NOT NULL AND (
    NEW.kind IS DISTINCT FROM OLD.kind OR NEW.title IS DISTINCT FROM OLD.title OR NEW.body IS DISTINCT FROM OLD.body
    OR NEW.notice_year IS DISTINCT FROM OLD.notice_year OR NEW.notice_number IS DISTINCT FROM OLD.notice_number
    OR NEW.content_sha256 IS DISTINCT FROM OLD.content_sha256 OR NEW.published_at IS DISTINCT FROM OLD.published_at
    OR NEW.slug IS DISTINCT FROM OLD.slug OR NEW.corrects_post_id IS DISTINCT FROM OLD.corrects_post_id
  ) THEN
    RAISE EXCEPTION 'published notice % is immutable', OLD.id USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER posts_notice_immutable BEFORE UPDATE OR DELETE ON posts FOR EACH ROW EXECUTE FUNCTION posts_notice_immutable();
