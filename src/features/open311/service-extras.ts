import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../infra/db.ts';
import { invalid, notFound } from '../../infra/errors.ts';
import type { Logger } from '../../infra/log.ts';
import { categories, type ServiceAttribute } from '../../infra/schema/index.ts';
import { slugify } from '../../infra/slug.ts';
import { textProblem, textProblemMessage } from '../../infra/text-input.ts';
import { attributesSchema, MAX_ATTRIBUTES, storedAttributes } from './attributes.ts';

/**
 * The admin's form for a category's Open311 extras: keywords, and the questions as rows of
 * fields (code_N, description_N, datatype_N, required_N, values_N, remove_N). A list's answers are
 * one per line, "Name" or "kennung = Name"; the key is made from the name when none is given.
 */
export interface ExtrasForm {
  keywords: string;
  rows: { code: string; description: string; datatype: string; required: boolean; values: string; remove: boolean }[];
}

export const MAX_KEYWORDS = 30;

export function extrasFormOf(body: Record<string, unknown>): ExtrasForm {
  const s = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
  const rows: ExtrasForm['rows'] = [];
  for (let i = 0; i <= MAX_ATTRIBUTES; i++) {
    if (!(`description_${i}` in body) && !(`code_${i}` in body)) continue;
    rows.push({
      code: s(`code_${i}`),
      description: s(`description_${i}`),
      datatype: s(`datatype_${i}`),
      required: s(`required_${i}`) === 'yes',
      values: s(`values_${i}`),
      remove: s(`remove_${i}`) === 'yes',
    });
  }
  return { keywords: s('keywords'), rows };
}

export function formOfStored(keywords: string[], attributes: ServiceAttribute[]): ExtrasForm {
  return {
    keywords: keywords.join(', '),
    rows: attributes.map((a) => ({
      code: a.code,
      description: a.description,
      datatype: a.datatype,
      required: a.required,
      values: (a.values ?? []).map((v) => `${v.key} = ${v.name}`).join('\n'),
      remove: false,
    })),
  };
}

const codeOf = (text: string) =>
  slugify(text)
    .replace(/-/g, '_')
    .replace(/^[^a-z]+/, '')
    .slice(0, 40) || 'frage';

function valuesOf(text: string): { key: string; name: string }[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const m = /^([a-z0-9_-]{1,40})\s*=\s*(.+)$/.exec(line);
      return m ? { key: m[1] ?? '', name: (m[2] ?? '').trim() } : { key: slugify(line).slice(0, 40), name: line };
    });
}

/** Field errors keyed like the form (description_2, values_0 …). */
function parse(form: ExtrasForm): { keywords: string[]; attributes: ServiceAttribute[] } {
  const keywords = [
    ...new Set(
      form.keywords
        .split(/[,\n]/)
        .map((k) => k.trim())
        .filter(Boolean),
    ),
  ];
  if (keywords.length > MAX_KEYWORDS)
    throw invalid(`Höchstens ${MAX_KEYWORDS} Suchwörter.`, { keywords: `Höchstens ${MAX_KEYWORDS} Suchwörter.` });
  for (const k of keywords) {
    const problem = textProblem(k);
    const message = problem
      ? textProblemMessage(problem, 'Ein Suchwort')
      : k.length > 60
        ? 'Ein Suchwort darf höchstens 60 Zeichen lang sein.'
        : null;
    if (message) throw invalid(message, { keywords: message });
  }
  const kept = form.rows.map((r, i) => ({ r, i })).filter(({ r }) => !r.remove && (r.description.trim() !== '' || r.code.trim() !== ''));
  const candidate = kept.map(({ r }) => ({
    code: r.code.trim() || codeOf(r.description),
    description: r.description,
    datatype: r.datatype,
    required: r.required,
    ...(r.datatype === 'singlevaluelist' || r.datatype === 'multivaluelist' || r.values.trim() ? { values: valuesOf(r.values) } : {}),
  }));
  const parsed = attributesSchema.safeParse(candidate);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const [index, field] = issue.path;
      const row = typeof index === 'number' ? kept[index]?.i : undefined;
      const key =
        row === undefined
          ? 'attributes'
          : `${field === 'values' || field === 'code' || field === 'datatype' ? field : 'description'}_${row}`;
      fields[key] ??= issue.message;
    }
    throw invalid(Object.values(fields)[0] ?? 'Bitte prüfen Sie die Fragen.', fields);
  }
  return { keywords, attributes: parsed.data as ServiceAttribute[] };
}

export async function categoryExtras(db: DbOrTx, categoryId: number) {
  const [row] = await db
    .select({
      id: categories.id,
      name: categories.name,
      slug: categories.slug,
      keywords: categories.keywords,
      attributes: categories.attributes,
    })
    .from(categories)
    .where(eq(categories.id, categoryId));
  if (!row) throw notFound('Diese Kategorie gibt es nicht.');
  return { ...row, attributes: storedAttributes(row.attributes) };
}

export async function saveCategoryExtras(deps: { db: DbOrTx; log: Logger }, userId: number | null, categoryId: number, form: ExtrasForm) {
  await categoryExtras(deps.db, categoryId);
  const { keywords, attributes } = parse(form);
  await deps.db.update(categories).set({ keywords, attributes }).where(eq(categories.id, categoryId));
  deps.log.info({ categoryId, userId, keywords: keywords.length, attributes: attributes.length }, 'category extras for Open311 saved');
}

export interface ServiceOverview {
  id: number;
  name: string;
  keywords: number;
  attributes: number;
}

/** Each category with how many keywords and questions it tells other apps. */
export async function servicesOverview(db: DbOrTx): Promise<ServiceOverview[]> {
  const rows = await db
    .select({ id: categories.id, name: categories.name, keywords: categories.keywords, attributes: categories.attributes })
    .from(categories)
    .where(eq(categories.active, true))
    .orderBy(asc(categories.name));
  return rows.map((r) => ({ id: r.id, name: r.name, keywords: r.keywords.length, attributes: storedAttributes(r.attributes).length }));
}
