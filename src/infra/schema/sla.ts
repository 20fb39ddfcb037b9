import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { cases, caseTypes, priorities } from './cases.ts';
import { teams, users } from './org.ts';

export const slaTargetUnits = ['hours', 'working_days'] as const;
export type SlaTargetUnit = (typeof slaTargetUnits)[number];

/**
 * Frist (SLA policy): time to first response and to resolution in business minutes, for a team, a
 * case type and a priority. A null column matches anything; the most specific match wins, and the
 * row with all three null is the default. One row per combination.
 */
export const slaPolicies = pgTable(
  'sla_policies',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    teamId: integer('team_id').references(() => teams.id, { onDelete: 'cascade' }),
    caseType: text('case_type', { enum: caseTypes }),
    priority: text('priority', { enum: priorities }),
    responseMinutes: integer('response_minutes').notNull(),
    resolutionMinutes: integer('resolution_minutes').notNull(),
    /** A warning goes out when this share of the time is used up. */
    warnPercent: integer('warn_percent').notNull().default(80),
    /** "Vorrang vor Team-Fristen": this policy (e.g. for "dringend") beats a team's more specific one. */
    overridesTeam: boolean('overrides_team').notNull().default(false),
    /** How the admin entered the targets, so the form shows them the same way (stored in minutes). */
    targetUnit: text('target_unit', { enum: slaTargetUnits }).notNull().default('hours'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('sla_policies_scope_uq').on(t.teamId, t.caseType, t.priority).nullsNotDistinct()],
);

/**
 * Office hours of a team (team_id null: the town's default for teams without their own). `week`
 * holds seven lists (Monday first) of [open, close] in minutes after local midnight;
 * `closedDays` are yearly closing days as "MM-DD" (Heiligabend, Silvester) on top of the public
 * holidays of the Bundesland.
 */
export const officeHours = pgTable(
  'office_hours',
  {
    id: serial('id').primaryKey(),
    teamId: integer('team_id').references(() => teams.id, { onDelete: 'cascade' }),
    week: jsonb('week').$type<[number, number][][]>().notNull(),
    closedDays: jsonb('closed_days').$type<string[]>().notNull().default([]),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('office_hours_team_uq').on(t.teamId).nullsNotDistinct()],
);

/** Teamleitung: who hears about a breached deadline of the team's cases. */
export const teamLeads = pgTable(
  'team_leads',
  {
    teamId: integer('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] })],
);

export const slaDueKinds = ['response', 'resolution'] as const;
export type SlaDueKind = (typeof slaDueKinds)[number];

/**
 * The clock of one case. Targets are copied from the policy when it is applied, so editing a
 * policy moves the deadlines of running cases only when the admin asks for it ("Auch auf laufende
 * Fälle anwenden"). Each due time is counted_from (else started_at) + target + paused minutes −
 * counted minutes, in business time of the case's team; paused
 * minutes grow only while the deadline had not passed yet, so waiting on the citizen never
 * rescues a deadline that was already missed. `due_at`/`warn_at` are the next deadline that
 * matters (null while paused or closed), kept here so the inbox can sort by them.
 * warned/escalated stamps are set by a conditional UPDATE before acting: each fires once.
 */
export const caseSlas = pgTable(
  'case_slas',
  {
    caseId: integer('case_id')
      .primaryKey()
      .references(() => cases.id, { onDelete: 'cascade' }),
    policyId: integer('policy_id').references(() => slaPolicies.id, { onDelete: 'set null' }),
    policyName: text('policy_name').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    responseMinutes: integer('response_minutes').notNull(),
    resolutionMinutes: integer('resolution_minutes').notNull(),
    warnPercent: integer('warn_percent').notNull(),
    responseDueAt: timestamp('response_due_at', { withTimezone: true }).notNull(),
    resolutionDueAt: timestamp('resolution_due_at', { withTimezone: true }).notNull(),
    firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
    pausedSince: timestamp('paused_since', { withTimezone: true }),
    /**
     * Business time is counted from here in today's office hours (null: from started_at). Set when
     * office hours change under a running clock: the business minutes that ran before it, under the
     * hours then in force, are kept in `counted_minutes`, so time already spent stays spent.
     */
    countedFrom: timestamp('counted_from', { withTimezone: true }),
    countedMinutes: integer('counted_minutes').notNull().default(0),
    responsePausedMinutes: integer('response_paused_minutes').notNull().default(0),
    resolutionPausedMinutes: integer('resolution_paused_minutes').notNull().default(0),
    dueKind: text('due_kind', { enum: slaDueKinds }),
    dueAt: timestamp('due_at', { withTimezone: true }),
    warnAt: timestamp('warn_at', { withTimezone: true }),
    responseWarnedAt: timestamp('response_warned_at', { withTimezone: true }),
    responseEscalatedAt: timestamp('response_escalated_at', { withTimezone: true }),
    resolutionWarnedAt: timestamp('resolution_warned_at', { withTimezone: true }),
    resolutionEscalatedAt: timestamp('resolution_escalated_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The inbox view "nach Fälligkeit" walks the running clocks in this order (see sla/inbox-due.ts);
    // cases without a running clock come after them, in the order of the cases' primary key.
    index('case_slas_due_idx').on(t.dueAt, t.caseId).where(sql`${t.dueAt} is not null`),
    index('case_slas_warn_idx').on(t.warnAt),
  ],
);

/**
 * Work of a change of office hours or of a policy too large for the admin's own transaction:
 * written in that transaction (so it cannot be lost between commit and a job send) and worked off
 * by `sla.recompute` strictly in id order, one batch at a time, so two changes in quick succession
 * are applied in the order they were made. `change` is the RecomputeChange (with the office hours
 * before it, for 'hours'), `at` the moment of the change.
 */
export const slaRecomputeBatches = pgTable('sla_recompute_batches', {
  id: serial('id').primaryKey(),
  change: jsonb('change').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull(),
  caseIds: integer('case_ids').array().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
