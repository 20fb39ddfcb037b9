ALTER TABLE "outbox_mails" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP TABLE "outbox_mails" CASCADE;--> statement-breakpoint
DROP INDEX "messages_mail_id_idx";--> statement-breakpoint
ALTER TABLE "messages" DROP COLUMN "mail_message_id";