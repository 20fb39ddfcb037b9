import { describe, expect, it } from 'vitest';
import { checkPost, linksOf } from './check-post.ts';
import { sentenceHints } from './hints.ts';
import { plainLanguageDetector } from './plain-language.ts';
import { SHIPPED_TERMS } from './plain-language-list.ts';

describe('sentence hints', () => {
  it('flags a sentence of 21 words but not one of 20', () => {
    const twenty = Array.from({ length: 20 }, () => 'Wort').join(' ');
    expect(sentenceHints(`${twenty}.`).filter((h) => h.kind === 'long-sentence')).toEqual([]);
    const [hint] = sentenceHints(`${twenty} mehr.`).filter((h) => h.kind === 'long-sentence');
    expect(hint?.message).toContain('21 Wörter');
  });

  it('flags nominal style (two -ung/-heit/-keit nouns), passive and long words', () => {
    const hints = sentenceHints(
      'Die Straße wird am Montag gesperrt. Die Durchführung der Sanierung erfolgt zeitnah. Die Zuständigkeitsverteilung bleibt. Wir helfen gern.',
    );
    expect(hints.map((h) => [h.kind, h.excerpt])).toEqual([
      ['passive', 'Die Straße wird am Montag gesperrt.'],
      ['nominal-style', 'Die Durchführung der Sanierung erfolgt zeitnah.'],
      ['long-word', 'Zuständigkeitsverteilung'],
    ]);
  });

  it('does not take the future tense with an infinitive for passive', () => {
    expect(sentenceHints('Wir werden Ihnen gern helfen.').filter((h) => h.kind === 'passive')).toEqual([]);
    expect(sentenceHints('Der Antrag wurde eingereicht.').map((h) => h.kind)).toEqual(['passive']);
  });
});

describe('Behördendeutsch', () => {
  const detect = plainLanguageDetector(SHIPPED_TERMS);

  it('ships at least 40 terms with a suggestion each', () => {
    expect(SHIPPED_TERMS.length).toBeGreaterThanOrEqual(40);
    for (const t of SHIPPED_TERMS) expect(t.suggestion.trim()).not.toBe('');
  });

  it('finds terms as whole words, case-insensitively, phrases across line breaks, "*" with endings', () => {
    const hits = detect('Aufgrund der Inanspruchnahme seitens der Bediensteten ist zwecks Prüfung\nauf   Grund dessen… Grundsteuer.');
    expect(hits.map((h) => [h.found, h.suggestion])).toEqual([
      ['Aufgrund', 'wegen, weil'],
      ['Inanspruchnahme', 'Nutzung'],
      ['seitens', 'von'],
      ['Bediensteten', 'Mitarbeiterinnen und Mitarbeiter'],
      ['zwecks', 'für, um … zu'],
      ['auf   Grund', 'wegen, weil'],
    ]);
  });

  it('lets the town add terms and override a shipped suggestion', () => {
    const own = plainLanguageDetector(SHIPPED_TERMS, [
      { term: 'seitens', suggestion: 'durch' },
      { term: 'Wertstoffhof', suggestion: 'Recyclinghof' },
    ]);
    expect(own('seitens am Wertstoffhof').map((h) => h.suggestion)).toEqual(['durch', 'Recyclinghof']);
  });
});

describe('checkPost', () => {
  const post = { title: 'Weihnachtsmarkt', body: 'Am Samstag. Infos: https://musterstadt.de/markt.', images: [{ alt: 'Der Markt' }] };

  it('passes a clean post', () => {
    expect(
      checkPost(post, [
        { target: 'website', text: post.body },
        { target: 'bluesky', text: 'Kurz. #Weihnachtsmarkt' },
      ]),
    ).toEqual([]);
  });

  it('reports length per target (Bluesky in graphemes, Mastodon by the instance limit), alt text, hashtags, personal data, dead links', () => {
    const issues = checkPost(
      { ...post, images: [{ alt: 'ok' }, { alt: ' ' }], body: 'Fragen an max.muster@example.org oder 0151 23456789. #tagderoffenentuer' },
      [
        { target: 'bluesky', text: `${'👍🏽'.repeat(300)}` },
        { target: 'bluesky', text: `${'👍🏽'.repeat(301)}` },
        { target: 'mastodon', text: 'x'.repeat(600), limit: 1000 },
        { target: 'telegram', text: 'x'.repeat(4097) },
      ],
      ['https://tot.example/'],
    );
    expect(issues.map((i) => i.message)).toEqual([
      'Bluesky: 301 Zeichen, erlaubt sind 300. Bitte kürzen Sie um 1 Zeichen.',
      'Telegram: 4097 Zeichen, erlaubt sind 4096. Bitte kürzen Sie um 1 Zeichen.',
      'Bild 2 hat keinen Alternativtext. Beschreiben Sie, was darauf zu sehen ist.',
      '#tagderoffenentuer: Schreiben Sie Hashtags in Binnenmajuskeln (z. B. #TagDerOffenenTür), damit Screenreader die Wörter erkennen.',
      'Der Text enthält vielleicht eine E-Mail-Adresse. Bitte prüfen Sie, ob das öffentlich sein darf.',
      'Der Text enthält vielleicht eine Telefonnummer. Bitte prüfen Sie, ob das öffentlich sein darf.',
      'Der Link https://tot.example/ ist nicht erreichbar. Bitte prüfen Sie ihn.',
    ]);
  });

  it('collects the links of a text without trailing punctuation', () => {
    expect(linksOf('Siehe https://a.example/x. Und [b](https://b.example/y), https://a.example/x')).toEqual([
      'https://a.example/x',
      'https://b.example/y',
    ]);
  });
});
