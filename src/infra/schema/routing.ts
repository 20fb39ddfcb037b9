import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { cases } from './cases.ts';
import { teams, users } from './org.ts';

export const ruleTriggers = ['created', 'updated'] as const;
export type RuleTrigger = (typeof ruleTriggers)[number];

/**
 * Regel: an ordered routing step, conditions → actions. Conditions and actions are JSON checked by
 * the Zod schemas in features/routing/rules/schema.ts on every write and every read, so the table
 * never needs a migration when a new condition kind appears.
 */
export const routingRules = pgTable(
  'routing_rules',
  {
    id: serial('id').primaryKey(),
    position: integer('position').notNull(),
    name: text('name').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    triggers: jsonb('triggers').$type<RuleTrigger[]>().notNull().default(['created']),
    /** "Danach keine weiteren Regeln prüfen": later rules are skipped once this one matched. */
    stopProcessing: boolean('stop_processing').notNull().default(false),
    /**
     * "Weiter auswerten": what this rule sets may still be changed by a later matching rule. Without
     * it the first matching rule wins per field (team, category, priority …).
     */
    overridable: boolean('overridable').notNull().default(false),
    conditions: jsonb('conditions').notNull(),
    actions: jsonb('actions').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('routing_rules_position_idx').on(t.position)],
);

/**
 * "Zuständigkeit prüfen": routing saw a contradiction it did not resolve silently (a rule's team
 * against a confident classifier team). Shown on the case and in the Leitstelle's inbox until a
 * person decides; `details` holds the names and figures shown (checked by the routing feature).
 */
export const routingHints = pgTable(
  'routing_hints',
  {
    caseId: integer('case_id')
      .primaryKey()
      .references(() => cases.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    ruleTeamId: integer('rule_team_id').references(() => teams.id, { onDelete: 'set null' }),
    classifierTeamId: integer('classifier_team_id').references(() => teams.id, { onDelete: 'set null' }),
    confidence: doublePrecision('confidence'),
    details: jsonb('details').notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: integer('resolved_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('routing_hints_open_idx').on(t.createdAt).where(sql`${t.resolvedAt} is null`)],
);
