import { distanceMeters } from '../../../infra/geo.ts';
import type { CaseType, ChannelName, Priority, RuleTrigger } from '../../../infra/schema/index.ts';
import { caseTypeLabels, channelLabels, priorityLabels } from '../../cases/labels.ts';
import { foldGerman } from '../classifier/text.ts';
import { matchesPattern } from './regex.ts';
import type { Condition, GroupCondition, LeafCondition, Rule, RuleAction } from './schema.ts';
import { berlinClock, containsWord, detectLanguage, minutesOf, wordsOf } from './text.ts';

export interface Prediction {
  label: string;
  confidence: number;
}

/** What the rules look at: a case as it is about to be stored (or after a staff change). */
export interface RuleFacts {
  channel: ChannelName;
  type: CaseType | null;
  /** Category and team by slug, the way rules name them. */
  category: string | null;
  team: string | null;
  priority: Priority;
  text: string;
  districtId: number | null;
  lat: number | null;
  lon: number | null;
  senderEmail: string | null;
  receivedAt: Date;
  tags: string[];
  /** The classifier's ranked suggestions, best first, when it has run. */
  prediction?: { type?: Prediction[]; category?: Prediction[]; team?: Prediction[] };
}

/**
 * Time for all rules of one case together. Each match is linear (RE2), but hundreds of rules with
 * many patterns over a long text still add up, and intake runs on the event loop every citizen
 * shares: past the budget the remaining rules are skipped and the default routing decides.
 * Measured as CPU time of this thread, not wall time: on a busy machine the operating system may
 * pause the process for tens of milliseconds, and that must not switch a town's rules off.
 */
export const RULES_BUDGET_MS = 50;
export interface Budget {
  ms: number;
  /** Milliseconds from any fixed point; tests pass a fake. */
  now(): number;
}
const threadMs = () => {
  const used = process.threadCpuUsage();
  return (used.user + used.system) / 1000;
};
const defaultBudget: Budget = { ms: RULES_BUDGET_MS, now: threadMs };

export interface EvaluateOptions {
  trigger: RuleTrigger;
  budget?: Budget;
}

export type DecidedField = 'type' | 'category' | 'team' | 'priority' | 'assignee' | 'tags';
export interface RuleRef {
  ruleId: number;
  ruleName: string;
}

/** Final values decided by rules; a field is absent when no rule touched it. Assignee by e-mail. */
export interface RuleChanges {
  type?: CaseType;
  category?: string;
  team?: string;
  priority?: Priority;
  assignee?: string;
  /** Tags added by rules (the case's own tags are not repeated here). */
  tags?: string[];
}

/** Actions the engine does not apply itself: SLA policy, confirmation text, team notification. */
export type SideAction = Extract<RuleAction, { kind: 'sla' | 'acknowledge' | 'notifyTeam' }> & RuleRef;

export type TraceStatus = 'matched' | 'not_matched' | 'disabled' | 'other_trigger' | 'stopped' | 'aborted';
export interface TraceEntry extends RuleRef {
  status: TraceStatus;
  /** German, one line per checked condition, e.g. "Art ist Störung". */
  reasons: string[];
}

/** Fields a rule sets once per case: the first matching rule wins unless it says "weiter auswerten". */
export type ClaimedField = Exclude<DecidedField, 'tags'> | 'sla' | 'acknowledge';

/**
 * Two matching rules set the same field. `kept`: the earlier rule holds it and the later one's
 * value is ignored; `replaced`: the earlier rule said "weiter auswerten", so the later one's value counts.
 */
export interface Conflict {
  field: ClaimedField;
  outcome: 'kept' | 'replaced';
  /** The rule whose value the case gets. */
  winner: RuleRef;
  /** The rule whose value does not count. */
  overruled: RuleRef;
}

export interface Evaluation {
  changes: RuleChanges;
  /** Which rule decided each changed field (for tags: the last one that added some). */
  decidedBy: Partial<Record<DecidedField, RuleRef>>;
  /** Where matching rules disagreed, in the order it happened: shown by the dry run. */
  conflicts: Conflict[];
  actions: SideAction[];
  trace: TraceEntry[];
  /** Set when the time budget ran out: the rule at which checking stopped and how many rules went unchecked. */
  aborted: { budgetMs: number; at: RuleRef; unchecked: number } | null;
}

interface Prepared {
  facts: RuleFacts;
  /** Who set each claimed field so far, and whether a later rule may still change it. */
  claims: Map<ClaimedField, { ref: RuleRef; overridable: boolean }>;
  folded: string;
  words: string[];
  language: 'de' | 'en' | null;
  clock: { weekday: number; minutes: number } | null;
  /** Set by outOfTime, which is asked before each rule and each condition. */
  spent: boolean;
  outOfTime(): boolean;
}

const WEEKDAY_NAMES = ['', 'Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'];
const pct = (x: number) => `${Math.round(x * 100)} %`;
const names = (values: readonly string[], labels?: Record<string, string>) => values.map((v) => labels?.[v] ?? v).join(', ');

/**
 * Runs the rules in order against the facts: pure, no I/O, so the intake, the dry run and the
 * tests share it. A matching rule's settings apply to the facts the next rules see (a rule may set
 * the category and a later one route by it). Per field the first matching rule wins: a later rule
 * changes what an earlier one set only when the earlier says "weiter auswerten" (overridable);
 * tags and team notifications add up. A rule with "stop" ends the run. So does the time budget:
 * the rules after it are traced as aborted.
 */
export function evaluateRules(rules: readonly Rule[], facts: RuleFacts, opts: EvaluateOptions): Evaluation {
  const budget = opts.budget ?? defaultBudget;
  const started = budget.now();
  const current: RuleFacts = { ...facts, tags: [...facts.tags] };
  const prepared: Prepared = {
    facts: current,
    claims: new Map(),
    folded: foldGerman(facts.text),
    words: wordsOf(facts.text),
    language: null,
    clock: null,
    spent: false,
    outOfTime() {
      this.spent ||= budget.now() - started > budget.ms;
      return this.spent;
    },
  };
  const result: Evaluation = { changes: {}, decidedBy: {}, conflicts: [], actions: [], trace: [], aborted: null };
  const skippedForTime = `übersprungen: Regelprüfung nach ${budget.ms} ms abgebrochen`;
  let stopped: RuleRef | null = null;
  for (const rule of [...rules].sort((a, b) => a.position - b.position || a.id - b.id)) {
    const ref = { ruleId: rule.id, ruleName: rule.name };
    if (stopped) {
      result.trace.push({ ...ref, status: 'stopped', reasons: [`übersprungen: Regel „${stopped.ruleName}“ beendet die Prüfung`] });
      continue;
    }
    if (!rule.enabled) {
      result.trace.push({ ...ref, status: 'disabled', reasons: ['ausgeschaltet'] });
      continue;
    }
    if (!rule.triggers.includes(opts.trigger)) {
      const when = opts.trigger === 'created' ? 'bei Änderungen' : 'bei neuen Anliegen';
      result.trace.push({ ...ref, status: 'other_trigger', reasons: [`greift nur ${when}`] });
      continue;
    }
    const reasons: string[] = [];
    const matched = !prepared.outOfTime() && check(rule.conditions, prepared, reasons);
    if (prepared.spent) {
      // A rule cut off halfway counts as unchecked: its actions never apply on half an answer.
      result.aborted ??= { budgetMs: budget.ms, at: ref, unchecked: 0 };
      result.aborted.unchecked++;
      result.trace.push({ ...ref, status: 'aborted', reasons: [...reasons, skippedForTime] });
      continue;
    }
    result.trace.push({ ...ref, status: matched ? 'matched' : 'not_matched', reasons });
    if (!matched) continue;
    const rulePlay = { ref, overridable: rule.overridable ?? false };
    for (const action of rule.actions) apply(action, rulePlay, prepared, result);
    if (rule.stopProcessing) stopped = ref;
  }
  return result;
}

/**
 * May this rule set the field? Yes when no other rule holds it, or the holder said "weiter
 * auswerten"; a refusal or a take-over is noted as a conflict. A rule may set its own field twice.
 */
function claim(field: ClaimedField, play: { ref: RuleRef; overridable: boolean }, p: Prepared, result: Evaluation): boolean {
  const held = p.claims.get(field);
  if (held && held.ref.ruleId !== play.ref.ruleId) {
    if (!held.overridable) {
      result.conflicts.push({ field, outcome: 'kept', winner: held.ref, overruled: play.ref });
      return false;
    }
    result.conflicts.push({ field, outcome: 'replaced', winner: play.ref, overruled: held.ref });
  }
  p.claims.set(field, play);
  return true;
}

function apply(action: RuleAction, play: { ref: RuleRef; overridable: boolean }, p: Prepared, result: Evaluation): void {
  const { ref } = play;
  const facts = p.facts;
  const set = <K extends 'type' | 'category' | 'team' | 'priority' | 'assignee'>(field: K, value: NonNullable<RuleChanges[K]>) => {
    if (!claim(field, play, p, result)) return false;
    result.changes[field] = value;
    result.decidedBy[field] = ref;
    return true;
  };
  switch (action.kind) {
    case 'setType':
      if (set('type', action.value)) facts.type = action.value;
      return;
    case 'setCategory':
      if (set('category', action.value)) facts.category = action.value;
      return;
    case 'setTeam':
      if (set('team', action.value)) facts.team = action.value;
      return;
    case 'setPriority':
      if (set('priority', action.value)) facts.priority = action.value;
      return;
    case 'assign':
      set('assignee', action.user);
      return;
    case 'addTags': {
      const added = result.changes.tags ?? [];
      for (const tag of action.tags) {
        if (facts.tags.includes(tag)) continue;
        facts.tags.push(tag);
        added.push(tag);
      }
      if (added.length > 0) {
        result.changes.tags = added;
        result.decidedBy.tags = ref;
      }
      return;
    }
    case 'sla':
    case 'acknowledge':
      // One deadline policy and one confirmation per case, claimed like a field.
      if (!claim(action.kind, play, p, result)) return;
      result.actions = result.actions.filter((a) => a.kind !== action.kind);
      result.actions.push({ ...action, ...ref });
      return;
    case 'notifyTeam':
      if (!result.actions.some((a) => a.kind === 'notifyTeam' && a.team === action.team)) result.actions.push({ ...action, ...ref });
      return;
  }
}

/** Evaluates a condition; appends one German line per leaf it looked at. */
const isGroup = (c: Condition): c is GroupCondition => c.kind === 'all' || c.kind === 'any';

function check(c: Condition, p: Prepared, reasons: string[]): boolean {
  if (isGroup(c)) {
    if (c.conditions.length === 0) {
      reasons.push(c.kind === 'all' ? 'ohne Bedingung: trifft immer zu' : 'leere Oder-Gruppe: trifft nie zu');
      return c.kind === 'all';
    }
    for (const inner of c.conditions) {
      const ok = check(inner, p, reasons);
      if (p.spent) return false;
      // Short-circuit like && and ||: the trace then names the condition that decided.
      if (c.kind === 'all' && !ok) return false;
      if (c.kind === 'any' && ok) return true;
    }
    return c.kind === 'all';
  }
  if (p.outOfTime()) return false;
  const [ok, why] = leaf(c, p);
  reasons.push(`${ok ? '✓' : '✗'} ${why}`);
  return ok;
}

function leaf(c: LeafCondition, p: Prepared): [boolean, string] {
  const f = p.facts;
  switch (c.kind) {
    case 'channel':
      return [c.in.includes(f.channel), `Kanal ${channelLabels[f.channel]} (gesucht: ${names(c.in, channelLabels)})`];
    case 'type':
      return [
        f.type !== null && c.in.includes(f.type),
        `Art ${f.type ? caseTypeLabels[f.type] : 'unklar'} (gesucht: ${names(c.in, caseTypeLabels)})`,
      ];
    case 'category':
      return [f.category !== null && c.in.includes(f.category), `Kategorie ${f.category ?? 'keine'} (gesucht: ${names(c.in)})`];
    case 'words': {
      const hits = c.words.filter((w) => containsWord(p.words, p.folded, w));
      const ok = c.match === 'all' ? hits.length === c.words.length : hits.length > 0;
      return [ok, hits.length ? `Text enthält ${hits.map((h) => `„${h}“`).join(', ')}` : `Text enthält keines von ${names(c.words)}`];
    }
    case 'regex': {
      const ok = matchesPattern(c.pattern, f.text);
      return [ok, `Text ${ok ? 'passt' : 'passt nicht'} zu /${c.pattern}/`];
    }
    case 'district':
      return [
        f.districtId !== null && c.in.includes(f.districtId),
        `Stadtteil ${f.districtId ?? 'unbekannt'} (gesucht: ${c.in.join(', ')})`,
      ];
    case 'distance': {
      if (f.lat === null || f.lon === null) return [false, 'kein Ort angegeben'];
      const d = distanceMeters({ lat: f.lat, lon: f.lon }, c);
      return [d <= c.meters, `${Math.round(d)} m vom Punkt entfernt (Umkreis ${c.meters} m)`];
    }
    case 'time': {
      p.clock ??= berlinClock(f.receivedAt);
      const { weekday, minutes } = p.clock;
      const dayOk = c.weekdays.length === 0 || c.weekdays.includes(weekday);
      const from = c.from ? minutesOf(c.from) : 0;
      const to = c.to ? minutesOf(c.to) : 24 * 60;
      // A window like 18:00–07:00 runs over midnight.
      const timeOk = from <= to ? minutes >= from && minutes < to : minutes >= from || minutes < to;
      const hh = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
      return [dayOk && timeOk, `eingegangen ${WEEKDAY_NAMES[weekday]} ${hh} Uhr (gesucht: ${describeTime(c)})`];
    }
    case 'sender': {
      const email = f.senderEmail?.toLowerCase() ?? null;
      if (!email) return [false, 'keine Absenderadresse'];
      const domain = email.slice(email.lastIndexOf('@') + 1);
      const ok = c.in.some((entry) => {
        if (entry.includes('@') && !entry.startsWith('@')) return entry === email;
        const d = entry.replace(/^@/, '');
        return domain === d || domain.endsWith(`.${d}`);
      });
      return [ok, `Absender ${email} (gesucht: ${names(c.in)})`];
    }
    case 'language':
      p.language ??= detectLanguage(f.text);
      return [c.in.includes(p.language), `Sprache ${p.language === 'de' ? 'Deutsch' : 'Englisch'}`];
    case 'confidence': {
      const top = f.prediction?.[c.target]?.[0];
      if (!top) return [false, 'keine Einschätzung des Klassifikators'];
      const labelOk = !c.label || top.label === c.label;
      const valueOk = c.op === 'gte' ? top.confidence >= c.value : top.confidence < c.value;
      const cmp = c.op === 'gte' ? '≥' : '<';
      return [
        labelOk && valueOk,
        `Klassifikator: ${top.label} mit ${pct(top.confidence)} (gesucht: ${c.label ?? 'beliebig'} ${cmp} ${pct(c.value)})`,
      ];
    }
  }
}

export function describeTime(c: Extract<LeafCondition, { kind: 'time' }>): string {
  const days = c.weekdays.length ? c.weekdays.map((d) => WEEKDAY_NAMES[d]).join(', ') : 'jeden Tag';
  return `${days} ${c.from ?? '00:00'}–${c.to ?? '24:00'}`;
}

/** German labels for decided values, used by the audit trail and the dry-run table. */
export function describeValue(
  field: DecidedField,
  value: unknown,
  names: { team: (slug: string) => string; category: (slug: string) => string },
) {
  switch (field) {
    case 'type':
      return caseTypeLabels[value as CaseType] ?? String(value);
    case 'priority':
      return priorityLabels[value as Priority] ?? String(value);
    case 'team':
      return names.team(String(value));
    case 'category':
      return names.category(String(value));
    case 'tags':
      return (value as string[]).join(', ');
    default:
      return String(value);
  }
}
