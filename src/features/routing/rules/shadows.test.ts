import { describe, expect, it } from 'vitest';
import type { Condition, Rule, RuleAction } from './schema.ts';
import { shadowsOf } from './shadows.ts';

let nextId = 1;
function rule(name: string, conditions: Condition, actions: RuleAction[], over: Partial<Rule> = {}): Rule {
  const id = nextId++;
  return {
    id,
    position: id,
    name,
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
const category = (...slugs: string[]): Condition => ({ kind: 'all', conditions: [{ kind: 'category', in: slugs }] });
const names = (m: Map<number, { ruleName: string; fields: string[] }[]>, r: Rule) =>
  m.get(r.id)?.map((s) => `${s.ruleName}:${s.fields.join('+')}`);

describe('shadowsOf: which earlier rules can overrule a rule', () => {
  it('an earlier rule setting the same field with overlapping conditions shadows; disjoint category lists do not', () => {
    const noise = rule('Lärm', category('laerm'), [team('ordnungsamt')]);
    const roads = rule('Straße', category('strassenschaden'), [team('tiefbauamt')]);
    const words = rule('Müll', { kind: 'words', match: 'any', words: ['Müll'] }, [team('leitstelle'), { kind: 'addTags', tags: ['Müll'] }]);
    const tagsOnly = rule('Schlagwort', category('laerm'), [{ kind: 'addTags', tags: ['Nacht'] }]);
    const m = shadowsOf([noise, roads, words, tagsOnly]);
    expect(names(m, noise)).toEqual([]);
    expect(names(m, roads)).toEqual([]);
    expect(names(m, words)).toEqual(['Lärm:team', 'Straße:team']);
    // Tags add up: nothing can overrule them.
    expect(names(m, tagsOnly)).toEqual([]);
  });

  it('"weiter auswerten" and switched-off rules do not shadow; a stop rule shadows everything it can overlap', () => {
    const soft = rule('Vorschlag', { kind: 'all', conditions: [] }, [team('leitstelle')], { overridable: true });
    const off = rule('Aus', { kind: 'all', conditions: [] }, [team('x')], { enabled: false });
    const stop = rule('Ideen', { kind: 'type', in: ['idea'] }, [team('innovationsmanagement')], { stopProcessing: true });
    const defects = rule('Störungen', { kind: 'all', conditions: [{ kind: 'type', in: ['defect'] }] }, [{ kind: 'addTags', tags: ['a'] }]);
    const any = rule('Alles', { kind: 'all', conditions: [] }, [team('ordnungsamt')]);
    const m = shadowsOf([soft, off, stop, defects, any]);
    expect(names(m, defects)).toEqual([]);
    expect(names(m, any)).toEqual(['Ideen:']);
  });

  it('a category an earlier rule may change does not count as disjoint', () => {
    const sets = rule('Setzt Kategorie', category('a'), [{ kind: 'setCategory', value: 'b' }, team('eins')]);
    const byB = rule('Nach B', category('b'), [team('zwei')]);
    expect(names(shadowsOf([sets, byB]), byB)).toEqual(['Setzt Kategorie:team']);
  });
});
