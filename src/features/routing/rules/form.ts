import type { z } from 'zod';
import type { Condition, LeafCondition, RuleAction, RuleInput } from './schema.ts';
import { ruleInputSchema } from './schema.ts';

/**
 * The rule form without JavaScript: one row per condition and per action, each row's fields named
 * "c-<n>-<field>" / "a-<n>-<field>". Adding or removing a row is a submit that re-renders the form
 * with everything typed so far. Rows hold the raw strings, so a form with an error comes back as typed.
 */
export const conditionKinds = [
  'channel',
  'type',
  'category',
  'words',
  'regex',
  'district',
  'distance',
  'time',
  'sender',
  'language',
  'confidence',
  'nested',
  'group',
] as const;
export type ConditionKind = (typeof conditionKinds)[number];
/** What a group row of the form may hold: one level of nesting in the form, deeper ones as JSON ('group'). */
export const leafKinds: readonly ConditionKind[] = conditionKinds.filter((k) => k !== 'nested' && k !== 'group');
/** At most this many conditions in one group row of the form. */
const MAX_GROUP_ROWS = 20;
export const actionKinds = [
  'setTeam',
  'setType',
  'setCategory',
  'setPriority',
  'addTags',
  'assign',
  'sla',
  'acknowledge',
  'notifyTeam',
] as const;
export type ActionKind = (typeof actionKinds)[number];

export interface Row<K extends string> {
  kind: K;
  /** Checked values of a list (channels, types, categories, districts, weekdays, languages). */
  list: string[];
  /** Named text inputs of the row: text, match, lat, lon, meters, from, to, target, label, op, value, pick (a Textbaustein's id). */
  text: Record<string, string>;
  /** The conditions inside a group row ('nested'), named "c-<n>-<m>-<field>". */
  children?: Row<K>[];
}

export interface RuleForm {
  name: string;
  enabled: boolean;
  onCreated: boolean;
  onUpdated: boolean;
  stop: boolean;
  /** "Weiter auswerten": later rules may change what this one sets. */
  overridable: boolean;
  match: 'all' | 'any';
  conditions: Row<ConditionKind>[];
  actions: Row<ActionKind>[];
}

export const emptyForm = (): RuleForm => ({
  name: '',
  enabled: true,
  onCreated: true,
  onUpdated: false,
  stop: false,
  overridable: false,
  match: 'all',
  conditions: [],
  actions: [{ kind: 'setTeam', list: [], text: {} }],
});

const TEXT_KEYS = ['text', 'match', 'lat', 'lon', 'meters', 'from', 'to', 'target', 'label', 'op', 'value', 'pick'] as const;
const str = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '');
const arr = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
const yes = (v: unknown) => v === 'yes';

function rowsOf<K extends string>(body: Record<string, unknown>, prefix: string, kinds: readonly K[]): Row<K>[] {
  const indexes = Object.keys(body)
    .map((k) => new RegExp(`^${prefix}-(\\d{1,3})-kind$`).exec(k)?.[1])
    .filter((i): i is string => i !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  return indexes.flatMap((i) => {
    const kind = str(body[`${prefix}-${i}-kind`]) as K;
    if (!kinds.includes(kind)) return [];
    const text: Record<string, string> = {};
    for (const key of TEXT_KEYS) {
      const v = body[`${prefix}-${i}-${key}`];
      if (v !== undefined) text[key] = str(v).slice(0, 5000);
    }
    const parsed: Row<K> = { kind, list: arr(body[`${prefix}-${i}-list`]).slice(0, 100), text };
    if (kind === 'nested')
      parsed.children = rowsOf(body, `${prefix}-${i}`, leafKinds as readonly string[] as readonly K[]).slice(0, MAX_GROUP_ROWS);
    return [parsed];
  });
}

export function formFromBody(body: Record<string, unknown>): RuleForm {
  return {
    name: str(body.name).slice(0, 500),
    enabled: yes(body.enabled),
    onCreated: yes(body.onCreated),
    onUpdated: yes(body.onUpdated),
    stop: yes(body.stop),
    overridable: yes(body.overridable),
    match: str(body.match) === 'any' ? 'any' : 'all',
    conditions: rowsOf(body, 'c', conditionKinds).slice(0, 40),
    actions: rowsOf(body, 'a', actionKinds).slice(0, 40),
  };
}

const splitList = (s: string | undefined) =>
  (s ?? '')
    .split(/[,;\n]/)
    .map((x) => x.trim())
    .filter(Boolean);
/** Accepts "0,9", "0.9" and "90 %" for a confidence; "" stays undefined so Zod reports it. */
function number(s: string | undefined): number | undefined {
  const t = (s ?? '').trim().replace(',', '.');
  if (!t) return undefined;
  const percent = t.endsWith('%');
  const n = Number(t.replace('%', '').trim());
  return Number.isFinite(n) ? (percent ? n / 100 : n) : Number.NaN;
}
const optional = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);

function conditionOf(r: Row<ConditionKind>): unknown {
  const t = r.text;
  switch (r.kind) {
    case 'channel':
    case 'type':
    case 'category':
    case 'language':
      return { kind: r.kind, in: r.list };
    case 'district':
      return { kind: r.kind, in: r.list.map(Number) };
    case 'words':
      return { kind: r.kind, match: t.match === 'all' ? 'all' : 'any', words: splitList(t.text) };
    case 'regex':
      return { kind: r.kind, pattern: t.text ?? '' };
    case 'distance':
      return { kind: r.kind, lat: number(t.lat), lon: number(t.lon), meters: number(t.meters) };
    case 'time':
      return { kind: r.kind, weekdays: r.list.map(Number), from: optional(t.from), to: optional(t.to) };
    case 'sender':
      return { kind: r.kind, in: splitList(t.text) };
    case 'confidence':
      return { kind: r.kind, target: t.target, label: optional(t.label), op: t.op, value: number(t.value) };
    case 'nested':
      return { kind: t.match === 'all' ? 'all' : 'any', conditions: (r.children ?? []).map(conditionOf) };
    case 'group':
      try {
        return JSON.parse(t.text ?? '');
      } catch {
        return { kind: 'group-json-invalid' };
      }
  }
}

function actionOf(r: Row<ActionKind>): unknown {
  const v = r.text.value ?? '';
  switch (r.kind) {
    case 'addTags':
      return { kind: r.kind, tags: splitList(r.text.text) };
    case 'assign':
      return { kind: r.kind, user: v };
    case 'sla':
      return { kind: r.kind, policyId: number(v) };
    case 'acknowledge':
      return { kind: r.kind, template: r.text.text ?? '' };
    case 'notifyTeam':
      return { kind: r.kind, team: v };
    default:
      return { kind: r.kind, value: v };
  }
}

/** Form → rule input, with errors keyed by the element id they belong to (name, triggers, c-2, a-0). */
export function ruleFromForm(form: RuleForm): { input: RuleInput | null; errors: Record<string, string> } {
  const raw = {
    name: form.name,
    enabled: form.enabled,
    triggers: [...(form.onCreated ? ['created'] : []), ...(form.onUpdated ? ['updated'] : [])],
    stopProcessing: form.stop,
    overridable: form.overridable,
    conditions: { kind: form.match, conditions: form.conditions.map(conditionOf) },
    actions: form.actions.map(actionOf),
  };
  const parsed = ruleInputSchema.safeParse(raw);
  const emptyGroups: Record<string, string> = {};
  form.conditions.forEach((r, i) => {
    if (r.kind === 'nested' && (r.children ?? []).length === 0) emptyGroups[`c-${i}`] = 'Die Gruppe braucht mindestens eine Bedingung.';
  });
  if (parsed.success && Object.keys(emptyGroups).length === 0) return { input: parsed.data, errors: {} };
  return { input: null, errors: { ...emptyGroups, ...(parsed.success ? {} : errorsByField(parsed.error, form)) } };
}

function errorsByField(error: z.ZodError, form: RuleForm): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const [head, second, third, fourth, fifth] = issue.path;
    let key = 'form';
    if (head === 'name' || head === 'triggers') key = head;
    else if (head === 'conditions' && second === 'conditions' && typeof third === 'number') {
      // Inside a group row the message goes to the condition it concerns ("c-2-0").
      const inGroup = form.conditions[third]?.kind === 'nested' && fourth === 'conditions' && typeof fifth === 'number';
      key = inGroup ? `c-${third}-${fifth}` : `c-${third}`;
    } else if (head === 'conditions') key = 'conditions';
    else if (head === 'actions') key = typeof second === 'number' ? `a-${second}` : 'actions';
    let message = issue.message;
    if (key.startsWith('c-') && form.conditions[Number(key.slice(2))]?.kind === 'group') {
      message = `Die Gruppe ist kein gültiges JSON einer Bedingung (${issue.path.slice(3).join('.') || 'Art'}: ${issue.message})`;
    }
    errors[key] ??= message;
  }
  return errors;
}

const row = <K extends string>(kind: K, list: string[] = [], text: Record<string, string> = {}): Row<K> => ({ kind, list, text });
const fmt = (n: number) => String(n).replace('.', ',');

function rowOfCondition(c: Condition): Row<ConditionKind> {
  if (c.kind === 'all' || c.kind === 'any') {
    // One level of groups fits the form; anything deeper stays editable as JSON.
    if (c.conditions.length > 0 && c.conditions.every((x) => x.kind !== 'all' && x.kind !== 'any')) {
      return { ...row('nested', [], { match: c.kind }), children: c.conditions.map(rowOfCondition) };
    }
    return row('group', [], { text: JSON.stringify(c, null, 2) });
  }
  const leaf = c as LeafCondition;
  switch (leaf.kind) {
    case 'channel':
    case 'type':
    case 'category':
    case 'language':
      return row(leaf.kind, [...leaf.in]);
    case 'district':
      return row(leaf.kind, leaf.in.map(String));
    case 'words':
      return row(leaf.kind, [], { text: leaf.words.join(', '), match: leaf.match });
    case 'regex':
      return row(leaf.kind, [], { text: leaf.pattern });
    case 'distance':
      return row(leaf.kind, [], { lat: String(leaf.lat), lon: String(leaf.lon), meters: String(leaf.meters) });
    case 'time':
      return row(leaf.kind, leaf.weekdays.map(String), { from: leaf.from ?? '', to: leaf.to ?? '' });
    case 'sender':
      return row(leaf.kind, [], { text: leaf.in.join(', ') });
    case 'confidence':
      return row(leaf.kind, [], { target: leaf.target, label: leaf.label ?? '', op: leaf.op, value: fmt(leaf.value) });
  }
}

function rowOfAction(a: RuleAction): Row<ActionKind> {
  switch (a.kind) {
    case 'addTags':
      return row(a.kind, [], { text: a.tags.join(', ') });
    case 'assign':
      return row(a.kind, [], { value: a.user });
    case 'sla':
      return row(a.kind, [], { value: String(a.policyId) });
    case 'acknowledge':
      return row(a.kind, [], { text: a.template });
    case 'notifyTeam':
      return row(a.kind, [], { value: a.team });
    default:
      return row(a.kind, [], { value: a.value });
  }
}

/** A stored rule as form rows; the top-level group becomes the form's all/any choice. */
export function formFromRule(rule: RuleInput): RuleForm {
  const top = rule.conditions;
  const isTop = top.kind === 'all' || top.kind === 'any';
  return {
    name: rule.name,
    enabled: rule.enabled,
    onCreated: rule.triggers.includes('created'),
    onUpdated: rule.triggers.includes('updated'),
    stop: rule.stopProcessing,
    overridable: rule.overridable,
    match: isTop ? top.kind : 'all',
    conditions: isTop ? top.conditions.map(rowOfCondition) : [rowOfCondition(top)],
    actions: rule.actions.map(rowOfAction),
  };
}

/** What the submit button asked for: save, dry run, or a row added or removed. */
export type FormOp =
  | { op: 'save' }
  | { op: 'dryrun' }
  | { op: 'addCondition'; kind: ConditionKind }
  | { op: 'addAction'; kind: ActionKind }
  | { op: 'removeCondition'; index: number }
  | { op: 'removeAction'; index: number }
  /** A condition added to, or removed from, the group in condition row `index`. */
  | { op: 'addToGroup'; index: number; kind: ConditionKind }
  | { op: 'removeFromGroup'; index: number; child: number }
  /** Copy the Textbaustein picked in action row `index` into its confirmation text. */
  | { op: 'useTemplate'; index: number };

export function opOf(body: Record<string, unknown>): FormOp {
  const op = str(body.op);
  if (op === 'dryrun') return { op };
  if (op === 'addCondition') {
    const kind = str(body.newCondition) as ConditionKind;
    return conditionKinds.includes(kind) ? { op, kind } : { op: 'save' };
  }
  if (op === 'addAction') {
    const kind = str(body.newAction) as ActionKind;
    return actionKinds.includes(kind) ? { op, kind } : { op: 'save' };
  }
  const addToGroup = /^add-c-(\d{1,3})$/.exec(op);
  if (addToGroup) {
    const kind = str(body[`c-${addToGroup[1]}-newCondition`]) as ConditionKind;
    return leafKinds.includes(kind) ? { op: 'addToGroup', index: Number(addToGroup[1]), kind } : { op: 'save' };
  }
  const removeFromGroup = /^remove-c-(\d{1,3})-(\d{1,3})$/.exec(op);
  if (removeFromGroup) return { op: 'removeFromGroup', index: Number(removeFromGroup[1]), child: Number(removeFromGroup[2]) };
  const template = /^template-a-(\d{1,3})$/.exec(op);
  if (template) return { op: 'useTemplate', index: Number(template[1]) };
  const remove = /^remove-(c|a)-(\d{1,3})$/.exec(op);
  if (remove) return { op: remove[1] === 'c' ? 'removeCondition' : 'removeAction', index: Number(remove[2]) };
  return { op: 'save' };
}

/**
 * The confirmation text of action row `index` replaced by a Textbaustein's body. The rule keeps its
 * own copy (an export stays self-contained; editing the Textbaustein later does not change it).
 */
export function withTemplateText(form: RuleForm, index: number, body: string): RuleForm {
  return {
    ...form,
    actions: form.actions.map((a, i) => (i === index && a.kind === 'acknowledge' ? { ...a, text: { ...a.text, text: body } } : a)),
  };
}

/** Applies a row operation; returns null for save, dry run and templates (see withTemplateText). */
export function applyRowOp(form: RuleForm, op: FormOp): RuleForm | null {
  switch (op.op) {
    case 'addCondition':
      return {
        ...form,
        conditions: [...form.conditions, op.kind === 'nested' ? { ...row(op.kind, [], { match: 'any' }), children: [] } : row(op.kind)],
      };
    case 'addToGroup':
    case 'removeFromGroup':
      return {
        ...form,
        conditions: form.conditions.map((r, i) => {
          if (i !== op.index || r.kind !== 'nested') return r;
          const children = r.children ?? [];
          return {
            ...r,
            children:
              op.op === 'addToGroup' ? [...children, row(op.kind)].slice(0, MAX_GROUP_ROWS) : children.filter((_, j) => j !== op.child),
          };
        }),
      };
    case 'addAction':
      return { ...form, actions: [...form.actions, row(op.kind)] };
    case 'removeCondition':
      return { ...form, conditions: form.conditions.filter((_, i) => i !== op.index) };
    case 'removeAction':
      return { ...form, actions: form.actions.filter((_, i) => i !== op.index) };
    default:
      return null;
  }
}
