import { describe, expect, it } from 'vitest';
import { distanceMeters } from '../../../infra/geo.ts';
import { type Budget, evaluateRules, RULES_BUDGET_MS, type RuleFacts } from './engine.ts';
import { type Condition, type Rule, type RuleAction, ruleInputSchema } from './schema.ts';
import { detectLanguage } from './text.ts';

const facts = (over: Partial<RuleFacts> = {}): RuleFacts => ({
  channel: 'web',
  type: 'defect',
  category: null,
  team: null,
  priority: 'normal',
  text: 'Vor der Schule ist ein tiefes Schlagloch in der Straße.',
  districtId: 3,
  lat: 47.66,
  lon: 9.17,
  senderEmail: 'anna@example.org',
  // Tuesday 2026-03-10, 09:30 in Berlin (UTC+1)
  receivedAt: new Date('2026-03-10T08:30:00Z'),
  tags: [],
  ...over,
});

let nextId = 1;
function rule(conditions: Condition, actions: RuleAction[], over: Partial<Rule> = {}): Rule {
  const id = nextId++;
  return {
    id,
    position: id,
    name: `Regel ${id}`,
    enabled: true,
    triggers: ['created'],
    stopProcessing: false,
    overridable: false,
    conditions,
    actions,
    ...over,
  };
}
const team = (value: string): RuleAction => ({ kind: 'setTeam', value });
const all = (...conditions: Condition[]): Condition => ({ kind: 'all', conditions });
const any = (...conditions: Condition[]): Condition => ({ kind: 'any', conditions });
const created = { trigger: 'created' } as const;
const matches = (c: Condition, f: RuleFacts = facts()) => evaluateRules([rule(c, [team('x')])], f, created).changes.team === 'x';

describe('conditions', () => {
  it('channel, type and category', () => {
    expect(matches({ kind: 'channel', in: ['web', 'email'] })).toBe(true);
    expect(matches({ kind: 'channel', in: ['email'] })).toBe(false);
    expect(matches({ kind: 'type', in: ['defect'] })).toBe(true);
    expect(matches({ kind: 'type', in: ['idea'] })).toBe(false);
    expect(matches({ kind: 'type', in: ['defect'] }, facts({ type: null }))).toBe(false);
    expect(matches({ kind: 'category', in: ['strassenschaden'] }, facts({ category: 'strassenschaden' }))).toBe(true);
    expect(matches({ kind: 'category', in: ['strassenschaden'] })).toBe(false);
  });

  it('words: prefix of a word, ignoring case and umlaut spelling; any or all', () => {
    expect(matches({ kind: 'words', match: 'any', words: ['schlagloch'] })).toBe(true);
    expect(matches({ kind: 'words', match: 'any', words: ['SCHLAGLÖCHER'] }, facts({ text: 'Viele Schlagloecher hier' }))).toBe(true);
    expect(matches({ kind: 'words', match: 'any', words: ['strasse'] })).toBe(true);
    expect(matches({ kind: 'words', match: 'any', words: ['loch'] })).toBe(false);
    expect(matches({ kind: 'words', match: 'all', words: ['schule', 'ampel'] })).toBe(false);
    expect(matches({ kind: 'words', match: 'all', words: ['schule', 'schlagloch'] })).toBe(true);
    expect(matches({ kind: 'words', match: 'any', words: ['tiefes schlagloch'] })).toBe(true);
  });

  it('regular expression, case-insensitive', () => {
    expect(matches({ kind: 'regex', pattern: 'schlag(loch|löcher)' })).toBe(true);
    expect(matches({ kind: 'regex', pattern: '^ampel' })).toBe(false);
  });

  it('district and distance', () => {
    expect(matches({ kind: 'district', in: [3, 4] })).toBe(true);
    expect(matches({ kind: 'district', in: [4] })).toBe(false);
    expect(matches({ kind: 'district', in: [3] }, facts({ districtId: null }))).toBe(false);
    expect(matches({ kind: 'distance', lat: 47.6601, lon: 9.17, meters: 50 })).toBe(true);
    expect(matches({ kind: 'distance', lat: 47.67, lon: 9.17, meters: 500 })).toBe(false);
    expect(matches({ kind: 'distance', lat: 47.66, lon: 9.17, meters: 50 }, facts({ lat: null, lon: null }))).toBe(false);
  });

  it('time of day and weekday in Berlin time, windows over midnight, summer time', () => {
    expect(matches({ kind: 'time', weekdays: [1, 2, 3, 4, 5], from: '08:00', to: '16:00' })).toBe(true);
    expect(matches({ kind: 'time', weekdays: [6, 7] })).toBe(false);
    expect(matches({ kind: 'time', weekdays: [], from: '09:31', to: '16:00' })).toBe(false);
    const night: Condition = { kind: 'time', weekdays: [], from: '18:00', to: '07:00' };
    expect(matches(night, facts({ receivedAt: new Date('2026-03-10T22:30:00Z') }))).toBe(true);
    expect(matches(night, facts({ receivedAt: new Date('2026-03-10T05:30:00Z') }))).toBe(true);
    expect(matches(night)).toBe(false);
    // 2026-07-01 06:30 UTC is 08:30 in Berlin summer time: inside 08:00–09:00, not in 06:00–07:00.
    const summer = facts({ receivedAt: new Date('2026-07-01T06:30:00Z') });
    expect(matches({ kind: 'time', weekdays: [], from: '08:00', to: '09:00' }, summer)).toBe(true);
    expect(matches({ kind: 'time', weekdays: [], from: '06:00', to: '07:00' }, summer)).toBe(false);
  });

  it('sender by address or domain, including subdomains', () => {
    const f = facts({ senderEmail: 'Stoerung@Netz.Stadtwerke-Muster.de' });
    expect(matches({ kind: 'sender', in: ['stadtwerke-muster.de'] }, f)).toBe(true);
    expect(matches({ kind: 'sender', in: ['@netz.stadtwerke-muster.de'] }, f)).toBe(true);
    expect(matches({ kind: 'sender', in: ['stoerung@netz.stadtwerke-muster.de'] }, f)).toBe(true);
    expect(matches({ kind: 'sender', in: ['werke-muster.de'] }, f)).toBe(false);
    expect(matches({ kind: 'sender', in: ['anna@example.com'] })).toBe(false);
    expect(matches({ kind: 'sender', in: ['example.org'] }, facts({ senderEmail: null }))).toBe(false);
  });

  it('language', () => {
    expect(matches({ kind: 'language', in: ['de'] })).toBe(true);
    expect(
      matches({ kind: 'language', in: ['en'] }, facts({ text: 'There is a broken street light in front of the school, please fix it.' })),
    ).toBe(true);
  });

  it('classifier confidence on the top suggestion, optionally of one label', () => {
    const f = facts({
      prediction: {
        team: [
          { label: 'tiefbauamt', confidence: 0.93 },
          { label: 'leitstelle', confidence: 0.05 },
        ],
      },
    });
    expect(matches({ kind: 'confidence', target: 'team', op: 'gte', value: 0.9 }, f)).toBe(true);
    expect(matches({ kind: 'confidence', target: 'team', op: 'gte', value: 0.95 }, f)).toBe(false);
    expect(matches({ kind: 'confidence', target: 'team', op: 'lt', value: 0.95 }, f)).toBe(true);
    expect(matches({ kind: 'confidence', target: 'team', label: 'leitstelle', op: 'gte', value: 0.01 }, f)).toBe(false);
    expect(matches({ kind: 'confidence', target: 'category', op: 'gte', value: 0 }, f)).toBe(false);
    expect(matches({ kind: 'confidence', target: 'team', op: 'gte', value: 0 })).toBe(false);
  });

  it('any/all groups, nested; an empty all-group matches everything', () => {
    const web: Condition = { kind: 'channel', in: ['web'] };
    const mail: Condition = { kind: 'channel', in: ['email'] };
    const defect: Condition = { kind: 'type', in: ['defect'] };
    expect(matches(all())).toBe(true);
    expect(matches(any())).toBe(false);
    expect(matches(all(web, defect))).toBe(true);
    expect(matches(all(mail, defect))).toBe(false);
    expect(matches(any(mail, defect))).toBe(true);
    expect(matches(all(defect, any(mail, all(web, { kind: 'district', in: [3] }))))).toBe(true);
    expect(matches(all(defect, any(mail, all(web, { kind: 'district', in: [9] }))))).toBe(false);
  });
});

describe('rule order, stop, disabled, triggers', () => {
  it('later rules see earlier changes; per field the first matching rule decides', () => {
    const setCat = rule(all(), [{ kind: 'setCategory', value: 'strassenschaden' }], { name: 'Kategorie' });
    const byCat = rule({ kind: 'category', in: ['strassenschaden'] }, [team('tiefbauamt')], { name: 'Schlaglöcher' });
    // Sorted by position, not array order: with setCat placed after byCat, byCat sees no category yet.
    const r = evaluateRules([byCat, { ...setCat, position: 99 }], facts(), created);
    expect(r.changes).toEqual({ category: 'strassenschaden' });
    const r2 = evaluateRules([byCat, { ...setCat, position: 0 }], facts(), created);
    expect(r2.changes).toEqual({ category: 'strassenschaden', team: 'tiefbauamt' });
    expect(r2.decidedBy.team?.ruleName).toBe('Schlaglöcher');
    const later = rule(all(), [team('leitstelle')], { name: 'Später' });
    const r3 = evaluateRules([{ ...setCat, position: 0 }, byCat, later], facts(), created);
    expect(r3.decidedBy.team?.ruleName).toBe('Schlaglöcher');
    expect(r3.changes.team).toBe('tiefbauamt');
    expect(r3.conflicts).toEqual([
      {
        field: 'team',
        outcome: 'kept',
        winner: { ruleId: byCat.id, ruleName: 'Schlaglöcher' },
        overruled: { ruleId: later.id, ruleName: 'Später' },
      },
    ]);
  });

  it('"weiter auswerten" lets a later matching rule change what the earlier one set', () => {
    const soft = rule(all(), [team('tiefbauamt'), { kind: 'setPriority', value: 'high' }], { name: 'Vorschlag', overridable: true });
    const firm = rule(all(), [team('leitstelle')], { name: 'Fest' });
    const last = rule(all(), [team('ordnungsamt'), { kind: 'setPriority', value: 'low' }], { name: 'Zu spät' });
    const r = evaluateRules([soft, firm, last], facts(), created);
    expect(r.changes.team).toBe('leitstelle');
    expect(r.decidedBy.team?.ruleName).toBe('Fest');
    // The priority only the soft rule set stays open too: the last rule takes it.
    expect(r.changes.priority).toBe('low');
    expect(r.conflicts.map((c) => [c.field, c.outcome, c.winner.ruleName, c.overruled.ruleName])).toEqual([
      ['team', 'replaced', 'Fest', 'Vorschlag'],
      ['team', 'kept', 'Fest', 'Zu spät'],
      ['priority', 'replaced', 'Zu spät', 'Vorschlag'],
    ]);
  });

  it('stop ends the run; later rules are traced as skipped', () => {
    const first = rule(all(), [team('leitstelle')], { stopProcessing: true, name: 'Erst' });
    const second = rule(all(), [team('tiefbauamt')]);
    const r = evaluateRules([first, second], facts(), created);
    expect(r.changes.team).toBe('leitstelle');
    expect(r.trace.map((t) => t.status)).toEqual(['matched', 'stopped']);
    expect(r.trace[1]?.reasons[0]).toContain('Erst');
    // A stop rule that does not match stops nothing.
    const r2 = evaluateRules([{ ...first, conditions: { kind: 'type', in: ['idea'] } }, second], facts(), created);
    expect(r2.changes.team).toBe('tiefbauamt');
  });

  it('disabled rules and rules of the other trigger do nothing', () => {
    const off = rule(all(), [team('a')], { enabled: false });
    const onUpdate = rule(all(), [team('b')], { triggers: ['updated'] });
    const r = evaluateRules([off, onUpdate], facts(), created);
    expect(r.changes).toEqual({});
    expect(r.trace.map((t) => t.status)).toEqual(['disabled', 'other_trigger']);
    expect(evaluateRules([off, onUpdate], facts(), { trigger: 'updated' }).changes.team).toBe('b');
  });

  it('collects tags without duplicates, one SLA and one confirmation, notifications per team', () => {
    const a = rule(all(), [
      { kind: 'addTags', tags: ['Schule', 'Verkehr'] },
      { kind: 'sla', policyId: 1 },
      { kind: 'acknowledge', template: 'A' },
      { kind: 'notifyTeam', team: 'tiefbauamt' },
    ]);
    const b = rule(all(), [
      { kind: 'addTags', tags: ['Verkehr', 'Eilig'] },
      { kind: 'sla', policyId: 2 },
      { kind: 'acknowledge', template: 'B' },
      { kind: 'notifyTeam', team: 'tiefbauamt' },
      { kind: 'assign', user: 'klaus@example.org' },
      { kind: 'setPriority', value: 'high' },
      { kind: 'setType', value: 'complaint' },
    ]);
    const r = evaluateRules([a, b], facts({ tags: ['Eilig'] }), created);
    expect(r.changes).toEqual({ tags: ['Schule', 'Verkehr'], assignee: 'klaus@example.org', priority: 'high', type: 'complaint' });
    // Deadline policy and confirmation are claimed like fields: the first rule's count.
    expect(r.actions.map((x) => [x.kind, x.ruleId])).toEqual([
      ['sla', a.id],
      ['acknowledge', a.id],
      ['notifyTeam', a.id],
    ]);
    const soft = evaluateRules([{ ...a, overridable: true }, b], facts(), created);
    expect(soft.actions.filter((x) => x.kind !== 'notifyTeam').map((x) => [x.kind, x.ruleId])).toEqual([
      ['sla', b.id],
      ['acknowledge', b.id],
    ]);
  });

  it('explains each checked condition in the trace', () => {
    const r = evaluateRules(
      [rule(all({ kind: 'type', in: ['defect'] }, { kind: 'channel', in: ['email'] }), [team('x')])],
      facts(),
      created,
    );
    expect(r.trace[0]?.status).toBe('not_matched');
    expect(r.trace[0]?.reasons).toEqual(['✓ Art Störung (gesucht: Störung)', '✗ Kanal Webformular (gesucht: E-Mail)']);
  });
});

describe('time budget for all rules of a case', () => {
  /** A clock that moves 20 ms each time it is read: the engine reads it at the start, before each rule and each condition. */
  const ticking = (): Budget => {
    let t = 0;
    return {
      ms: 50,
      now: () => {
        const now = t;
        t += 20;
        return now;
      },
    };
  };

  it('stops once the budget is spent: later rules are skipped, earlier decisions stay, the trace says why', () => {
    const rules = [
      rule({ kind: 'channel', in: ['web'] }, [team('erste')]),
      rule({ kind: 'channel', in: ['web'] }, [team('zweite')]),
      rule({ kind: 'channel', in: ['web'] }, [team('dritte')], { enabled: false }),
      rule({ kind: 'channel', in: ['web'] }, [team('vierte')]),
    ];
    const r = evaluateRules(rules, facts(), { ...created, budget: ticking() });
    expect(r.trace.map((t) => t.status)).toEqual(['matched', 'aborted', 'disabled', 'aborted']);
    expect(r.trace[1]?.reasons).toEqual(['übersprungen: Regelprüfung nach 50 ms abgebrochen']);
    expect(r.changes.team).toBe('erste');
    expect(r.aborted).toEqual({ budgetMs: 50, at: { ruleId: rules[1]?.id, ruleName: rules[1]?.name }, unchecked: 2 });
  });

  it('a rule cut off between its conditions does not apply, even if the rest would have matched', () => {
    const cut = rule(any({ kind: 'channel', in: ['email'] }, { kind: 'channel', in: ['web'] }), [team('x')]);
    const r = evaluateRules([cut], facts(), { ...created, budget: ticking() });
    expect(r.trace[0]?.status).toBe('aborted');
    expect(r.trace[0]?.reasons).toEqual(['✗ Kanal Webformular (gesucht: E-Mail)', 'übersprungen: Regelprüfung nach 50 ms abgebrochen']);
    expect(r.changes).toEqual({});
  });

  it('by default 50 ms of CPU time, which hostile patterns on RE2 never come near', () => {
    expect(RULES_BUDGET_MS).toBe(50);
    const hostile = ['(x|y)*z$', '(a+)+$', '(a|a)*b', '^(\\w+\\s?)*$'].map((pattern) => rule({ kind: 'regex', pattern }, [team('x')]));
    const r = evaluateRules(hostile, facts({ text: `${'a'.repeat(2500)}${'xy'.repeat(1200)}!` }), created);
    expect(r.aborted).toBeNull();
    expect(r.trace.map((t) => t.status)).toEqual(['not_matched', 'not_matched', 'not_matched', 'not_matched']);
  });
});

describe('rule schema', () => {
  const base = { name: 'R', triggers: ['created'], actions: [{ kind: 'setTeam', value: 'leitstelle' }] };
  it('rejects broken and unsupported regular expressions with a German message; nested repetitions are harmless on RE2', () => {
    const parse = (pattern: string) => ruleInputSchema.safeParse({ ...base, conditions: { kind: 'regex', pattern } });
    for (const pattern of ['(a)\\1', '(?=a)b', '[', 'a'.repeat(201)]) {
      const r = parse(pattern);
      expect(r.success, pattern).toBe(false);
      expect(r.error?.issues[0]?.message, pattern).toMatch(/nicht unterstützt|nicht geschlossen|höchstens 200 Zeichen/);
    }
    for (const pattern of ['schlag(loch|löcher)', '(a+)+$', '(x*)*y', '(x|y)*z$']) expect(parse(pattern).success, pattern).toBe(true);
  });

  it('limits nesting depth and names the path of a wrong field', () => {
    let deep: Condition = { kind: 'channel', in: ['web'] };
    for (let i = 0; i < 5; i++) deep = all(deep);
    expect(ruleInputSchema.safeParse({ ...base, conditions: deep }).success).toBe(false);
    const bad = ruleInputSchema.safeParse({
      ...base,
      conditions: all(any({ kind: 'channel', in: ['brieftaube'] } as unknown as Condition)),
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['conditions', 'conditions', 0, 'conditions', 0, 'in', 0]);
  });
});

describe('helpers', () => {
  it('haversine distance', () => {
    // One degree of latitude is about 111.2 km.
    expect(distanceMeters({ lat: 47, lon: 9 }, { lat: 48, lon: 9 })).toBeGreaterThan(111_000);
    expect(distanceMeters({ lat: 47, lon: 9 }, { lat: 48, lon: 9 })).toBeLessThan(111_400);
  });
  it('language guess', () => {
    expect(detectLanguage('Die Laterne an der Ecke ist seit Tagen kaputt.')).toBe('de');
    expect(detectLanguage('The bin in the park is full, please empty it.')).toBe('en');
    expect(detectLanguage('')).toBe('de');
  });
});
