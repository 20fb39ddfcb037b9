import { z } from 'zod';
import { caseTypes, channels, priorities, ruleTriggers } from '../../../infra/schema/index.ts';
import { singleLine } from '../../../infra/text-input.ts';
import { PATTERN_MAX_LENGTH, regexProblem } from './regex.ts';

/**
 * The shape of a rule, shared by the admin form, the JSON import and every read from the database.
 * Teams and categories are named by slug (stable, readable, the same in every installation), so an
 * exported rule file can move from a test system to production; districts by id, as they have no slug.
 */
export const MAX_DEPTH = 4;
export const LIMITS = {
  name: 120,
  conditions: 30,
  actions: 20,
  listItems: 50,
  word: 80,
  pattern: PATTERN_MAX_LENGTH,
  tags: 10,
  tag: 40,
  template: 4000,
};

const slug = z
  .string({ message: 'Bitte wählen Sie einen Eintrag aus.' })
  .trim()
  .min(1, 'Bitte wählen Sie einen Eintrag aus.')
  .max(80, 'Der Kurzname ist zu lang.')
  .regex(/^[a-z0-9-]+$/, 'Kurznamen bestehen aus Kleinbuchstaben, Ziffern und Bindestrichen.');
const list = <T extends z.ZodType>(item: T, empty: string) =>
  z.array(item).min(1, empty).max(LIMITS.listItems, `Höchstens ${LIMITS.listItems} Einträge.`);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Bitte eine Uhrzeit wie 07:30 angeben.');
const probability = z.number({ message: 'Bitte eine Zahl zwischen 0 und 1 angeben.' }).min(0, 'Mindestens 0.').max(1, 'Höchstens 1.');

export const languages = ['de', 'en'] as const;
export const predictionTargets = ['type', 'category', 'team'] as const;

const leafOptions = [
  z.object({ kind: z.literal('channel'), in: list(z.enum(channels), 'Bitte mindestens einen Kanal wählen.') }),
  z.object({ kind: z.literal('type'), in: list(z.enum(caseTypes), 'Bitte mindestens eine Art wählen.') }),
  z.object({ kind: z.literal('category'), in: list(slug, 'Bitte mindestens eine Kategorie wählen.') }),
  z.object({
    kind: z.literal('words'),
    /** Any: one of the words suffices; all: every word must occur. Matching ignores case and umlaut spelling. */
    match: z.enum(['any', 'all']).default('any'),
    words: list(
      z
        .string()
        .trim()
        .min(1, 'Leere Wörter sind nicht erlaubt.')
        .max(LIMITS.word, `Ein Wort darf höchstens ${LIMITS.word} Zeichen haben.`)
        .superRefine(singleLine('Ein Wort')),
      'Bitte mindestens ein Wort angeben.',
    ),
  }),
  z.object({
    kind: z.literal('regex'),
    pattern: z
      .string()
      .min(1, 'Bitte einen regulären Ausdruck angeben.')
      .max(LIMITS.pattern, `Der Ausdruck darf höchstens ${LIMITS.pattern} Zeichen haben.`)
      .superRefine((p, ctx) => {
        const problem = regexProblem(p);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
  }),
  z.object({
    kind: z.literal('district'),
    in: list(z.number().int().positive({ message: 'Unbekannter Stadtteil.' }), 'Bitte mindestens einen Stadtteil wählen.'),
  }),
  z.object({
    kind: z.literal('distance'),
    lat: z.number({ message: 'Bitte eine Breite angeben.' }).min(-90).max(90),
    lon: z.number({ message: 'Bitte eine Länge angeben.' }).min(-180).max(180),
    meters: z.number({ message: 'Bitte einen Umkreis in Metern angeben.' }).positive('Der Umkreis muss größer als 0 sein.').max(100_000),
  }),
  z.object({
    kind: z.literal('time'),
    /** ISO weekdays, 1 = Monday … 7 = Sunday, in Europe/Berlin. */
    weekdays: z.array(z.number().int().min(1).max(7)).max(7).default([]),
    from: hhmm.optional(),
    to: hhmm.optional(),
  }),
  z.object({
    kind: z.literal('sender'),
    /** A full address matches exactly; a bare domain ("stadtwerke.de" or "@stadtwerke.de") matches it and its subdomains. */
    in: list(
      z
        .string()
        .trim()
        .toLowerCase()
        .min(3, 'Bitte eine Adresse oder Domain angeben.')
        .max(254)
        .regex(/^[^\s@]*@?[^\s@]+\.[^\s@]+$/, 'Bitte eine E-Mail-Adresse oder eine Domain wie stadtwerke.de angeben.'),
      'Bitte mindestens eine Adresse oder Domain angeben.',
    ),
  }),
  z.object({ kind: z.literal('language'), in: list(z.enum(languages), 'Bitte mindestens eine Sprache wählen.') }),
  z.object({
    kind: z.literal('confidence'),
    target: z.enum(predictionTargets),
    /** Optional: only when the classifier's top suggestion is this label (type code or slug). */
    label: z.string().trim().max(80).superRefine(singleLine('Die Bezeichnung')).optional(),
    op: z.enum(['gte', 'lt']),
    value: probability,
  }),
] as const;

export const leafConditionSchema = z.discriminatedUnion('kind', [...leafOptions], { message: 'Unbekannte Art von Bedingung.' });
export type LeafCondition = z.infer<typeof leafConditionSchema>;

export type GroupCondition = { kind: 'all' | 'any'; conditions: Condition[] };
export type Condition = LeafCondition | GroupCondition;

const groupSchema = z.object({
  kind: z.enum(['all', 'any']),
  get conditions(): z.ZodArray<z.ZodType<Condition>> {
    return z.array(conditionSchema).max(LIMITS.conditions, `Höchstens ${LIMITS.conditions} Bedingungen je Gruppe.`);
  },
});

/** Any/all groups nest; the depth limit keeps evaluation and the form manageable. */
export const conditionSchema: z.ZodType<Condition> = z.discriminatedUnion('kind', [groupSchema, ...leafOptions], {
  message: 'Unbekannte Art von Bedingung.',
});

export const actionSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('setType'), value: z.enum(caseTypes, { message: 'Bitte eine Art wählen.' }) }),
    z.object({ kind: z.literal('setCategory'), value: slug }),
    z.object({ kind: z.literal('setTeam'), value: slug }),
    z.object({ kind: z.literal('setPriority'), value: z.enum(priorities, { message: 'Bitte eine Priorität wählen.' }) }),
    z.object({
      kind: z.literal('addTags'),
      tags: z
        .array(
          z
            .string()
            .trim()
            .min(1, 'Leere Schlagwörter sind nicht erlaubt.')
            .max(LIMITS.tag, `Ein Schlagwort darf höchstens ${LIMITS.tag} Zeichen haben.`)
            .superRefine(singleLine('Ein Schlagwort')),
        )
        .min(1, 'Bitte mindestens ein Schlagwort angeben.')
        .max(LIMITS.tags, `Höchstens ${LIMITS.tags} Schlagwörter.`),
    }),
    z.object({
      kind: z.literal('assign'),
      user: z
        .string()
        .trim()
        .toLowerCase()
        .pipe(z.email({ message: 'Bitte eine Person wählen.' })),
    }),
    /** Applied by the SLA feature; the engine only reports it. */
    z.object({ kind: z.literal('sla'), policyId: z.number().int().positive({ message: 'Bitte eine Frist-Richtlinie auswählen.' }) }),
    z.object({
      kind: z.literal('acknowledge'),
      /** Text of the confirmation with {{name}}, {{vorgang}}, {{kategorie}}, {{team}} (the Textbausteine syntax); replaces the standard one. */
      template: z
        .string()
        .trim()
        .min(1, 'Bitte einen Text für die Bestätigung angeben.')
        .max(LIMITS.template, `Der Text darf höchstens ${LIMITS.template} Zeichen haben.`),
    }),
    z.object({ kind: z.literal('notifyTeam'), team: slug }),
  ],
  { message: 'Unbekannte Art von Aktion.' },
);
export type RuleAction = z.infer<typeof actionSchema>;

function depthOf(c: Condition): number {
  return c.kind === 'all' || c.kind === 'any' ? 1 + Math.max(0, ...c.conditions.map(depthOf)) : 0;
}

/** A rule as written by an admin or an import: everything but id and position. */
export const ruleInputSchema = z.object({
  name: z
    .string({ message: 'Bitte geben Sie der Regel einen Namen.' })
    .trim()
    .min(1, 'Bitte geben Sie der Regel einen Namen.')
    .max(LIMITS.name, `Der Name darf höchstens ${LIMITS.name} Zeichen haben.`)
    .superRefine(singleLine('Der Name')),
  enabled: z.boolean().default(true),
  triggers: z
    .array(z.enum(ruleTriggers))
    .min(1, 'Bitte wählen Sie, wann die Regel greift: bei neuen Anliegen, bei Änderungen oder beidem.')
    .transform((t) => [...new Set(t)]),
  stopProcessing: z.boolean().default(false),
  /** "Weiter auswerten": what this rule sets may still be changed by a later matching rule. */
  overridable: z.boolean().default(false),
  conditions: conditionSchema.refine(
    (c) => depthOf(c) <= MAX_DEPTH,
    `Gruppen dürfen höchstens ${MAX_DEPTH} Ebenen tief verschachtelt sein.`,
  ),
  actions: z
    .array(actionSchema)
    .min(1, 'Bitte mindestens eine Aktion angeben.')
    .max(LIMITS.actions, `Höchstens ${LIMITS.actions} Aktionen.`),
});
export type RuleInput = z.infer<typeof ruleInputSchema>;
export type Rule = RuleInput & { id: number; position: number };

/** The export file: a version marker, so a future format can still read old files. */
export const rulesFileSchema = z.object({
  format: z.literal('amtsblatt-regeln', { message: 'Das ist keine Regel-Datei von Amtsblatt 2.0.' }),
  version: z.literal(1, { message: 'Diese Version der Regel-Datei wird nicht unterstützt.' }),
  rules: z.array(ruleInputSchema).max(500, 'Höchstens 500 Regeln je Datei.'),
});
export type RulesFile = z.infer<typeof rulesFileSchema>;

/** "rules.2.conditions.conditions.0.in: …": where in a file the first problems are, for a German message. */
export function issuePaths(error: z.ZodError, max = 5): string[] {
  return error.issues.slice(0, max).map((i) => `${i.path.length ? i.path.join('.') : '(Datei)'}: ${i.message}`);
}
