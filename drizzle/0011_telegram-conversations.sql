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
ALTER TABLE "telegram_conversations" ADD CONSTRAINT "telegram_conversations_account_id_channel_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."channel_accounts"("id") ON DELETE cascade ON UPDATE no action;