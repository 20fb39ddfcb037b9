import { sql } from 'drizzle-orm';
import { boolean, customType, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

export const classifierSources = ['csv', 'cases'] as const;
export type ClassifierSource = (typeof classifierSources)[number];

/**
 * Trained routing classifiers (type, category, team). Every training keeps its row, so an admin
 * can see how the figures moved; exactly one model per kind is active at a time.
 */
export const classifierModels = pgTable(
  'classifier_models',
  {
    id: serial('id').primaryKey(),
    /** What the model predicts; 'routing' = type, category slug and team slug of a case. */
    kind: text('kind').notNull().default('routing'),
    source: text('source', { enum: classifierSources }).notNull(),
    trainedOn: integer('trained_on').notNull(),
    /** Cross-validated accuracy, coverage and routing threshold per label. */
    metrics: jsonb('metrics').notNull().default({}),
    /** gzip'd JSON with the weights (see routing/classifier/serialise.ts). */
    payload: bytea('payload').notNull(),
    active: boolean('active').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('classifier_models_one_active_idx').on(t.kind).where(sql`${t.active}`),
    index('classifier_models_kind_created_idx').on(t.kind, t.createdAt.desc()),
  ],
);
