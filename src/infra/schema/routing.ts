import { boolean, index, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

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
    conditions: jsonb('conditions').notNull(),
    actions: jsonb('actions').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('routing_rules_position_idx').on(t.position)],
);
