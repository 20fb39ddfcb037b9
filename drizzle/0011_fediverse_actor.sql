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
CREATE INDEX "fediverse_kv_expires_idx" ON "fediverse_kv" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "fediverse_notes_uuid_idx" ON "fediverse_notes" USING btree ("uuid");--> statement-breakpoint
CREATE INDEX "fediverse_notes_published_idx" ON "fediverse_notes" USING btree ("published_at");