CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TABLE "case_forwards" (
	"id" serial PRIMARY KEY NOT NULL,
	"case_id" integer NOT NULL,
	"from_team_id" integer,
	"to_team_id" integer,
	"forwarded_by" integer,
	"forwarded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routing_hints" (
	"case_id" integer PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"rule_team_id" integer,
	"classifier_team_id" integer,
	"confidence" double precision,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" integer
);
--> statement-breakpoint
ALTER TABLE "categories" ADD COLUMN "fix_check_days" integer DEFAULT 5;--> statement-breakpoint
ALTER TABLE "routing_rules" ADD COLUMN "overridable" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "overrides_team" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "target_unit" text DEFAULT 'hours' NOT NULL;--> statement-breakpoint
ALTER TABLE "case_forwards" ADD CONSTRAINT "case_forwards_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_forwards" ADD CONSTRAINT "case_forwards_from_team_id_teams_id_fk" FOREIGN KEY ("from_team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_forwards" ADD CONSTRAINT "case_forwards_to_team_id_teams_id_fk" FOREIGN KEY ("to_team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_forwards" ADD CONSTRAINT "case_forwards_forwarded_by_users_id_fk" FOREIGN KEY ("forwarded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_hints" ADD CONSTRAINT "routing_hints_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_hints" ADD CONSTRAINT "routing_hints_rule_team_id_teams_id_fk" FOREIGN KEY ("rule_team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_hints" ADD CONSTRAINT "routing_hints_classifier_team_id_teams_id_fk" FOREIGN KEY ("classifier_team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_hints" ADD CONSTRAINT "routing_hints_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_forwards_case_idx" ON "case_forwards" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_forwards_from_idx" ON "case_forwards" USING btree ("from_team_id","forwarded_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "routing_hints_open_idx" ON "routing_hints" USING btree ("created_at") WHERE "routing_hints"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "cases_text_trgm_idx" ON "cases" USING gin (lower(coalesce("description", '') || ' ' || coalesce("location_text", '')) gin_trgm_ops);--> statement-breakpoint
-- Hand-offs made before this table existed: the audit trail has each team change with the team it left
-- (the team it went to is taken as the case's team today).
INSERT INTO "case_forwards" ("case_id", "from_team_id", "to_team_id", "forwarded_by", "forwarded_at")
SELECT a."case_id", (a."details"->>'fromTeamId')::int, c."team_id", a."actor_user_id", a."created_at"
FROM "audit_events" a JOIN "cases" c ON c."id" = a."case_id"
JOIN "teams" t ON t."id" = (a."details"->>'fromTeamId')::int
WHERE a."action" = 'team_changed' AND a."details" ? 'fromTeamId' AND jsonb_typeof(a."details"->'fromTeamId') = 'number';
--> statement-breakpoint
-- Until now a later matching rule overruled an earlier one. Rules that exist keep that meaning
-- ("Weiter auswerten"); rules written from now on follow "the first matching rule wins per field".
UPDATE "routing_rules" SET "overridable" = true;
