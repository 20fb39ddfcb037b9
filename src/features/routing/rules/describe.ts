import type { CaseType, ChannelName, Priority } from '../../../infra/schema/index.ts';
import { caseTypeLabels, channelLabels, priorityLabels } from '../../cases/labels.ts';
import { describeTime } from './engine.ts';
import type { Directory } from './queries.ts';
import type { Condition, RuleAction } from './schema.ts';

/** Names for slugs and ids, so the rule list reads "Tiefbauamt", not "tiefbauamt". */
export interface Names {
  team(slug: string): string;
  category(slug: string): string;
  district(id: number): string;
  user(email: string): string;
  policy(id: number): string;
}

export function namesOf(dir: Directory): Names {
  const teams = new Map(dir.teams.map((t) => [t.slug, t.name]));
  const categories = new Map(dir.categories.map((c) => [c.slug, c.name]));
  const districts = new Map(dir.districts.map((d) => [d.id, d.name]));
  const users = new Map(dir.users.map((u) => [u.email.toLowerCase(), u.name]));
  const policies = new Map(dir.policies.map((p) => [p.id, p.name]));
  return {
    team: (s) => teams.get(s) ?? `${s} (unbekannt)`,
    category: (s) => categories.get(s) ?? `${s} (unbekannt)`,
    district: (id) => districts.get(id) ?? `Nr. ${id} (unbekannt)`,
    user: (e) => users.get(e) ?? `${e} (unbekannt)`,
    policy: (id) => policies.get(id) ?? `Nr. ${id} (unbekannt)`,
  };
}

export const targetLabels = { type: 'Art', category: 'Kategorie', team: 'Team' } as const;
const or = (items: string[]) => (items.length > 1 ? `${items.slice(0, -1).join(', ')} oder ${items.at(-1)}` : (items[0] ?? ''));

/** One condition as a short German phrase; groups in brackets. */
export function describeCondition(c: Condition, n: Names): string {
  switch (c.kind) {
    case 'all':
    case 'any': {
      if (c.conditions.length === 0) return c.kind === 'all' ? 'immer' : 'nie';
      const parts = c.conditions.map((x) => describeCondition(x, n));
      return parts.length === 1 ? (parts[0] ?? '') : `(${parts.join(c.kind === 'all' ? ' und ' : ' oder ')})`;
    }
    case 'channel':
      return `Kanal ${or(c.in.map((x: ChannelName) => channelLabels[x]))}`;
    case 'type':
      return `Art ${or(c.in.map((x: CaseType) => caseTypeLabels[x]))}`;
    case 'category':
      return `Kategorie ${or(c.in.map(n.category))}`;
    case 'words':
      return `Text enthält ${c.match === 'all' ? 'alle von' : 'eines von'} ${c.words.map((w) => `„${w}“`).join(', ')}`;
    case 'regex':
      return `Text passt zu /${c.pattern}/`;
    case 'district':
      return `Stadtteil ${or(c.in.map(n.district))}`;
    case 'distance':
      return `höchstens ${c.meters} m von ${c.lat.toFixed(5)}, ${c.lon.toFixed(5)}`;
    case 'time':
      return `eingegangen ${describeTime(c)}`;
    case 'sender':
      return `Absender ${or(c.in)}`;
    case 'language':
      return `Sprache ${or(c.in.map((l) => (l === 'de' ? 'Deutsch' : 'Englisch')))}`;
    case 'confidence':
      return `Klassifikator (${targetLabels[c.target]}${c.label ? ` = ${c.label}` : ''}) ${c.op === 'gte' ? 'mindestens' : 'unter'} ${Math.round(c.value * 100)} %`;
  }
}

export function describeAction(a: RuleAction, n: Names): string {
  switch (a.kind) {
    case 'setTeam':
      return `an ${n.team(a.value)}`;
    case 'setType':
      return `Art ${caseTypeLabels[a.value]}`;
    case 'setCategory':
      return `Kategorie ${n.category(a.value)}`;
    case 'setPriority':
      return `Priorität ${priorityLabels[a.value as Priority]}`;
    case 'addTags':
      return `Schlagwörter ${a.tags.join(', ')}`;
    case 'assign':
      return `zuweisen an ${n.user(a.user)}`;
    case 'sla':
      return `Frist „${n.policy(a.policyId)}“`;
    case 'acknowledge':
      return 'eigene Eingangsbestätigung';
    case 'notifyTeam':
      return `${n.team(a.team)} per E-Mail benachrichtigen`;
  }
}
