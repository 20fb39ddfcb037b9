CREATE TABLE "contacts" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"address" text NOT NULL,
	"display_name" text,
	"person_id" integer,
	"undeliverable_at" timestamp with time zone,
	"undeliverable_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "held_messages" (
	"id" serial PRIMARY KEY NOT NULL,
	"channel_account_id" integer,
	"external_id" text NOT NULL,
	"reason" text NOT NULL,
	"sender" text,
	"subject" text,
	"body" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" integer,
	"case_id" integer
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"channel_account_id" integer,
	"contact_id" integer,
	"address" text NOT NULL,
	"case_id" integer,
	"payload" jsonb NOT NULL,
	"thread_ref" text,
	"external_ref" text,
	"idempotency_key" text NOT NULL,
	"automatic" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"claimed_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "outbox_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
ALTER TABLE "attachments" ALTER COLUMN "thumb_key" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "attachments" ALTER COLUMN "width" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "attachments" ALTER COLUMN "height" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "kind" text DEFAULT 'photo' NOT NULL;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "filename" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "contact_id" integer;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "channel_account_id" integer;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "callback_requested" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "thread_key" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "contact_id" integer;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "channel_account_id" integer;--> statement-breakpoint
ALTER TABLE "channel_accounts" ADD COLUMN "cursor" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_person_id_contacts_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "held_messages" ADD CONSTRAINT "held_messages_channel_account_id_channel_accounts_id_fk" FOREIGN KEY ("channel_account_id") REFERENCES "public"."channel_accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "held_messages" ADD CONSTRAINT "held_messages_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "held_messages" ADD CONSTRAINT "held_messages_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_channel_account_id_channel_accounts_id_fk" FOREIGN KEY ("channel_account_id") REFERENCES "public"."channel_accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_kind_address_idx" ON "contacts" USING btree ("kind","address");--> statement-breakpoint
CREATE INDEX "contacts_person_idx" ON "contacts" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "contacts_name_idx" ON "contacts" USING btree (lower("display_name"));--> statement-breakpoint
CREATE UNIQUE INDEX "held_external_idx" ON "held_messages" USING btree ("channel_account_id","external_id");--> statement-breakpoint
CREATE INDEX "held_received_idx" ON "held_messages" USING btree ("received_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "outbox_items_created_idx" ON "outbox" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "outbox_items_status_idx" ON "outbox" USING btree ("status","kind");--> statement-breakpoint
CREATE INDEX "outbox_items_case_idx" ON "outbox" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "outbox_items_address_idx" ON "outbox" USING btree ("address","created_at");--> statement-breakpoint
CREATE INDEX "outbox_items_external_idx" ON "outbox" USING btree ("external_ref");--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_channel_account_id_channel_accounts_id_fk" FOREIGN KEY ("channel_account_id") REFERENCES "public"."channel_accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_channel_account_id_channel_accounts_id_fk" FOREIGN KEY ("channel_account_id") REFERENCES "public"."channel_accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "messages_thread_key_idx" ON "messages" USING btree ("thread_key");--> statement-breakpoint
CREATE INDEX "messages_account_created_idx" ON "messages" USING btree ("channel_account_id","created_at");--> statement-breakpoint
-- Data already there moves along: thread keys of mails, reporters as contacts, queued mails into the one outbox.
UPDATE "messages" SET "thread_key" = 'email:' || "mail_message_id" WHERE "mail_message_id" IS NOT NULL;--> statement-breakpoint
INSERT INTO "contacts" ("kind", "address", "display_name")
  SELECT DISTINCT ON (lower("reporter_email")) 'email', lower("reporter_email"), "reporter_name" FROM "cases"
   WHERE "reporter_email" IS NOT NULL ORDER BY lower("reporter_email"), "created_at" DESC
  ON CONFLICT DO NOTHING;--> statement-breakpoint
UPDATE "cases" SET "contact_id" = c."id" FROM "contacts" c
 WHERE c."kind" = 'email' AND c."address" = lower("cases"."reporter_email");--> statement-breakpoint
INSERT INTO "outbox" ("kind", "address", "case_id", "payload", "thread_ref", "external_ref", "idempotency_key", "automatic", "status", "attempts", "claimed_at", "last_error", "created_at", "sent_at")
  SELECT 'email', "to_address", "case_id",
         jsonb_build_object('subject', "subject", 'text', "text", 'references', "references"),
         "in_reply_to", "message_id", 'mail:' || "message_id", "in_reply_to" IS NULL AND jsonb_array_length("references") = 0,
         "status", "attempts", "claimed_at", "last_error", "created_at", "sent_at"
    FROM "outbox_mails";
