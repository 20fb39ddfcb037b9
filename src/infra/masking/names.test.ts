import { describe, expect, it } from 'vitest';
import { findHonorificNames, findKnownNames, findNamePairs, findSignatureNames } from './names.ts';
import type { Finder } from './span.ts';

const spans = (find: Finder, text: string, knownNames?: string[]) =>
  find(text, { knownNames })
    .sort((a, b) => a.start - b.start)
    .map((s) => text.slice(s.start, s.end));

describe('findHonorificNames', () => {
  it('takes the name after Frau, Herr, Familie and their short forms, titles kept', () => {
    expect(spans(findHonorificNames, 'Frau Müller, Herr Dr. Schmidt, Familie Yilmaz, Hr. Meier und Fr. Kühn-Lang')).toEqual([
      'Müller',
      'Schmidt',
      'Yilmaz',
      'Meier',
      'Kühn-Lang',
    ]);
  });

  it('takes first and last name together, but not a noun after a last name', () => {
    expect(spans(findHonorificNames, 'Frau Erika Mustermann meldet, Herrn Schmidt Bescheid geben')).toEqual([
      'Erika Mustermann',
      'Schmidt',
    ]);
  });

  it('counts names that are also words, where the title says it is a name', () => {
    expect(spans(findHonorificNames, 'Herr Stein und Frau Berg wohnen dort')).toEqual(['Stein', 'Berg']);
  });

  it('leaves roles and phrases alone', () => {
    expect(
      spans(findHonorificNames, 'Sehr geehrte Damen und Herren, Herr Bürgermeister, eine Frau Hilfe brauchte, Herrenloses Rad'),
    ).toEqual([]);
  });
});

describe('findSignatureNames', () => {
  it('takes the name under a greeting, on the next line or after a comma', () => {
    expect(spans(findSignatureNames, 'Danke.\nMit freundlichen Grüßen\nErika Mustermann')).toEqual(['Erika Mustermann']);
    expect(spans(findSignatureNames, 'Gruß, Max')).toEqual(['Max']);
    expect(spans(findSignatureNames, 'Viele Grüße\nIhr Max Mustermann\n')).toEqual(['Max Mustermann']);
    expect(spans(findSignatureNames, 'MfG G. Kiderlen')).toEqual(['G. Kiderlen']);
    expect(spans(findSignatureNames, 'Freundliche Grüße \nWolf v. Cube, Konstanz')).toEqual(['Wolf v. Cube']);
  });

  it('takes a listed first name even when more text follows', () => {
    expect(spans(findSignatureNames, 'wollte es melden Grüße Stephan p.s. direkt vor der Tür')).toEqual(['Stephan']);
  });

  it('leaves greetings without a name alone', () => {
    for (const text of [
      'Mit den besten Grüßen\nEin Anwohner',
      'Danke und Grüße aus der Leinerstraße',
      'Mit freundlichen Grüßen\n[...]',
      'Liebe Grüße',
      'Mit freundlichen Grüßen\n(Adresssuche nach: Bachbohlweg 3)',
      'Viele Grüße\nIhr Team vom Kleingartenverein',
    ]) {
      expect(spans(findSignatureNames, text), text).toEqual([]);
    }
  });
});

describe('findNamePairs', () => {
  it('takes a listed first name followed by a listed last name', () => {
    expect(spans(findNamePairs, 'Gestern hat Sandra Müller angerufen, dann Hermann Schmidt-Weber.')).toEqual([
      'Sandra Müller',
      'Hermann Schmidt-Weber',
    ]);
  });

  it('leaves streets, schools, common words and the rental bike alone', () => {
    expect(
      spans(
        findNamePairs,
        'In der Goethestraße, am Max Stromeyer Weg, die Thomas Müller Schule, am Bach ein Stein, Erika Stein am Berg, Konrad Fischer Rad, Max-Müller-Straße',
      ),
    ).toEqual([]);
  });
});

describe('findKnownNames', () => {
  it("masks the reporter's own name, whole and in parts, but not inside other words", () => {
    expect(spans(findKnownNames, 'Frau Mustermann meldet: Erika sah es am Mustermannweg.', ['Erika Mustermann'])).toEqual([
      'Mustermann',
      'Erika',
    ]);
  });
});
