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
ALTER TABLE "newsletter_subscriptions" ADD CONSTRAINT "newsletter_subscriptions_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "newsletter_subscriptions_contact_idx" ON "newsletter_subscriptions" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "newsletter_subscriptions_live_idx" ON "newsletter_subscriptions" USING btree ("id") WHERE "newsletter_subscriptions"."confirmed_at" is not null and "newsletter_subscriptions"."unsubscribed_at" is null;--> statement-breakpoint
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
