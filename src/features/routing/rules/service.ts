import type { Clock } from '../../../infra/clock.ts';
import type { Db, DbOrTx } from '../../../infra/db.ts';
import { invalid, notFound } from '../../../infra/errors.ts';
import type { Logger } from '../../../infra/log.ts';
import { normaliseFields, textProblemMessage } from '../../../infra/text-input.ts';
import { invalidateRules } from './cache.ts';
import * as q from './queries.ts';
import { issuePaths, type RuleInput, type RulesFile, ruleInputSchema, rulesFileSchema } from './schema.ts';

export interface RulesDeps {
  db: Db;
  clock: Clock;
  log: Logger;
}

/** Who acted, for the log: an admin's id, or the demo seed / CLI. */
export type RulesActor = { userId: number } | null;

export const RULE_NOT_FOUND = 'Diese Regel gibt es nicht (mehr).';

/** Checks the names a rule refers to against the town's teams, categories, districts, staff and deadline policies. */
export function referenceProblems(dir: q.Directory, input: RuleInput): string[] {
  const teams = new Set(dir.teams.map((t) => t.slug));
  const categories = new Set(dir.categories.map((c) => c.slug));
  const districts = new Set(dir.districts.map((d) => d.id));
  const people = new Set(dir.users.map((u) => u.email.toLowerCase()));
  const policies = new Set(dir.policies.map((p) => p.id));
  const problems: string[] = [];
  const walk = (c: RuleInput['conditions']) => {
    if (c.kind === 'all' || c.kind === 'any') return c.conditions.forEach(walk);
    if (c.kind === 'category') for (const s of c.in) if (!categories.has(s)) problems.push(`Die Kategorie „${s}“ gibt es nicht.`);
    if (c.kind === 'district') for (const d of c.in) if (!districts.has(d)) problems.push(`Den Stadtteil Nr. ${d} gibt es nicht.`);
  };
  walk(input.conditions);
  for (const a of input.actions) {
    if (a.kind === 'setTeam' && !teams.has(a.value)) problems.push(`Das Team „${a.value}“ gibt es nicht.`);
    if (a.kind === 'notifyTeam' && !teams.has(a.team)) problems.push(`Das Team „${a.team}“ gibt es nicht.`);
    if (a.kind === 'setCategory' && !categories.has(a.value)) problems.push(`Die Kategorie „${a.value}“ gibt es nicht.`);
    if (a.kind === 'assign' && !people.has(a.user)) problems.push(`Ein aktives Konto „${a.user}“ gibt es nicht.`);
    if (a.kind === 'sla' && !policies.has(a.policyId)) problems.push(`Die Frist-Richtlinie Nr. ${a.policyId} gibt es nicht.`);
  }
  return problems;
}

async function parseChecked(db: DbOrTx, raw: unknown): Promise<RuleInput> {
  const parsed = ruleInputSchema.safeParse(raw);
  if (!parsed.success)
    throw invalid(`Die Regel ist nicht vollständig: ${issuePaths(parsed.error, 1).join('; ')}`, {
      form: issuePaths(parsed.error, 1)[0] ?? '',
    });
  const problems = referenceProblems(await q.directory(db), parsed.data);
  if (problems.length) throw invalid(problems.join(' '), { form: problems.join(' ') });
  return parsed.data;
}

export async function createRule(deps: RulesDeps, actor: RulesActor, raw: unknown): Promise<number> {
  const id = await deps.db.transaction(async (tx) => {
    const input = await parseChecked(tx, raw);
    await q.lockRules(tx);
    return q.insertRule(tx, input, await q.nextPosition(tx), deps.clock.now());
  });
  invalidateRules(deps.db);
  deps.log.info({ actor: actor?.userId ?? 'system', ruleId: id }, 'rule created');
  return id;
}

export async function updateRule(deps: RulesDeps, actor: RulesActor, id: number, raw: unknown): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const input = await parseChecked(tx, raw);
    if (!(await q.updateRule(tx, id, input, deps.clock.now()))) throw notFound(RULE_NOT_FOUND);
  });
  invalidateRules(deps.db);
  deps.log.info({ actor: actor?.userId ?? 'system', ruleId: id }, 'rule updated');
}

export async function setRuleEnabled(deps: RulesDeps, actor: RulesActor, id: number, enabled: boolean): Promise<void> {
  const rule = await q.findRule(deps.db, id);
  if (!rule) throw notFound(RULE_NOT_FOUND);
  if (enabled && !rule.valid) throw invalid('Diese Regel ist fehlerhaft gespeichert. Bitte bearbeiten und neu speichern.');
  await q.setRuleFields(deps.db, id, { enabled }, deps.clock.now());
  invalidateRules(deps.db);
  deps.log.info({ actor: actor?.userId ?? 'system', ruleId: id, enabled }, 'rule toggled');
}

export async function deleteRule(deps: RulesDeps, actor: RulesActor, id: number): Promise<void> {
  if (!(await q.deleteRule(deps.db, id))) throw notFound(RULE_NOT_FOUND);
  invalidateRules(deps.db);
  deps.log.info({ actor: actor?.userId ?? 'system', ruleId: id }, 'rule deleted');
}

/** Swaps a rule with its neighbour; positions are renumbered 1…n on the way, so gaps never confuse. */
export async function moveRule(deps: RulesDeps, actor: RulesActor, id: number, direction: 'up' | 'down'): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await q.lockRules(tx);
    const order = (await q.listRules(tx)).map((r) => r.id);
    const at = order.indexOf(id);
    if (at < 0) throw notFound(RULE_NOT_FOUND);
    const other = direction === 'up' ? at - 1 : at + 1;
    if (other < 0 || other >= order.length) return;
    [order[at], order[other]] = [order[other] as number, id];
    const now = deps.clock.now();
    for (const [i, ruleId] of order.entries()) await q.setRuleFields(tx, ruleId, { position: i + 1 }, now);
  });
  invalidateRules(deps.db);
  deps.log.info({ actor: actor?.userId ?? 'system', ruleId: id, direction }, 'rule moved');
}

export async function exportRules(db: DbOrTx): Promise<RulesFile> {
  const rules = (await q.listRules(db)).filter((r) => r.valid);
  return {
    format: 'amtsblatt-regeln',
    version: 1,
    rules: rules.map(({ name, enabled, triggers, stopProcessing, overridable, conditions, actions }) => ({
      name,
      enabled,
      triggers,
      stopProcessing,
      overridable,
      conditions,
      actions,
    })),
  };
}

export const MAX_IMPORT_BYTES = 512 * 1024;

/**
 * Replaces all rules by the file's, in its order, in one transaction: a file with one wrong field
 * changes nothing, and the message names the path of the field ("rules.2.actions.0.value").
 */
export async function importRules(deps: RulesDeps, actor: RulesActor, text: string): Promise<number> {
  if (text.length > MAX_IMPORT_BYTES)
    throw invalid('Die Datei ist zu groß (höchstens 512 KB).', { file: 'Die Datei ist zu groß (höchstens 512 KB).' });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid('Die Datei ist kein gültiges JSON.', {
      file: 'Die Datei ist kein gültiges JSON. Bitte eine mit „Exportieren“ erzeugte Datei wählen.',
    });
  }
  // A file is not a form field, so the edge's normaliser has not seen it yet.
  const broken = normaliseFields({ file: json });
  if (broken) {
    const message = textProblemMessage(broken.problem, 'Regel-Datei');
    throw invalid(message, { file: message });
  }
  const parsed = rulesFileSchema.safeParse(json);
  if (!parsed.success) {
    const where = issuePaths(parsed.error).join('; ');
    throw invalid(`Die Datei passt nicht: ${where}`, { file: `Fehler in der Datei – ${where}` });
  }
  const count = await deps.db.transaction(async (tx) => {
    const problems: string[] = [];
    const dir = await q.directory(tx);
    for (const [i, rule] of parsed.data.rules.entries()) {
      for (const p of referenceProblems(dir, rule)) problems.push(`rules.${i} („${rule.name}“): ${p}`);
    }
    if (problems.length) {
      const where = problems.slice(0, 5).join('; ');
      throw invalid(`Die Datei passt nicht zu dieser Stadt: ${where}`, { file: `Die Datei passt nicht zu dieser Stadt – ${where}` });
    }
    await q.lockRules(tx);
    await q.deleteAllRules(tx);
    const now = deps.clock.now();
    for (const [i, rule] of parsed.data.rules.entries()) await q.insertRule(tx, rule, i + 1, now);
    return parsed.data.rules.length;
  });
  invalidateRules(deps.db);
  deps.log.info({ actor: actor?.userId ?? 'system', rules: count }, 'rules imported');
  return count;
}
