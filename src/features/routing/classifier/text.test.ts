import { describe, expect, it } from 'vitest';
import { contentStems, foldGerman, stripBoilerplate, textFeatures, words } from './text.ts';

describe('foldGerman', () => {
  it('writes umlauts and ß the way citizens without a German keyboard do', () => {
    expect(foldGerman('Straßenlaterne über dem Mülleimer, Öffnung')).toBe('strassenlaterne ueber dem muelleimer, oeffnung');
    expect(foldGerman('Ärger')).toBe('aerger');
    expect(foldGerman('Café')).toBe('cafe');
  });

  it('treats a decomposed umlaut (a + combining diaeresis) like the composed one', () => {
    expect(foldGerman('Mu\u0308ll')).toBe(foldGerman('Müll'));
  });
});

describe('text features', () => {
  it('give the same features for umlaut and ae/oe/ue spellings', () => {
    const a = textFeatures('Die Straßenlaterne vor der Grünfläche leuchtet nicht, Mülleimer überfüllt', 3, 5);
    const b = textFeatures('Die Strassenlaterne vor der Gruenflaeche leuchtet nicht, Muelleimer ueberfuellt', 3, 5);
    expect([...a.words.entries()]).toEqual([...b.words.entries()]);
    expect([...a.chars.entries()]).toEqual([...b.chars.entries()]);
  });

  it('drops stop words, bare numbers and single letters, and stems inflections together', () => {
    const stems = contentStems('Die Laternen in der Straße 12 sind a kaputt');
    expect(stems).not.toContain('die');
    expect(stems).not.toContain('in');
    expect(stems).not.toContain('12');
    expect(stems).not.toContain('a');
    expect(contentStems('Laterne')).toEqual(contentStems('Laternen'));
  });

  it('removes the address search note and masked contact data', () => {
    expect(stripBoilerplate('Loch im Weg (Adresssuche nach: Seehang 3) Tel. [Telefon entfernt]').split(/\s+/).join(' ').trim()).toBe(
      'Loch im Weg Tel.',
    );
    expect(words('(Adresssuche nach: Seestraße 3)')).toEqual([]);
  });

  it('counts word bigrams and character 3–5-grams inside words', () => {
    const f = textFeatures('Laterne dunkel', 3, 5);
    const stemsOf = contentStems('Laterne dunkel');
    expect(f.words.get(`b:${stemsOf[0]}_${stemsOf[1]}`)).toBe(1);
    expect(f.chars.get('c: la')).toBe(1);
    expect(f.chars.get('c:tern')).toBe(1);
    expect(f.chars.get('c:erne ')).toBe(1);
    expect([...f.chars.keys()].every((k) => k.length - 2 >= 3 && k.length - 2 <= 5)).toBe(true);
  });
});
