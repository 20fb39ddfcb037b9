import { describe, expect, it } from 'vitest';
import { findEmails, findPhones, findUrls } from './contact.ts';
import type { Finder } from './span.ts';

const spans = (find: Finder, text: string) => find(text, {}).map((s) => text.slice(s.start, s.end));

describe('findPhones', () => {
  it('takes dialled numbers in the usual German spellings', () => {
    expect(spans(findPhones, 'Ruf an: 07531 123456, 0761 / 123 45 67, +49 (0)7531-12345, 0176-12345678')).toEqual([
      '07531 123456',
      '0761 / 123 45 67',
      '+49 (0)7531-12345',
      '0176-12345678',
    ]);
  });

  it('takes a number in brackets or after a date, without the bracket', () => {
    expect(spans(findPhones, 'Anruf am 22.07.2022 (0761 123456) und (07531) 98765')).toEqual(['0761 123456', '(07531) 98765']);
  });

  it('takes a number without a leading 0 only after a word like "Tel."', () => {
    expect(spans(findPhones, 'Tel. 123456 oder Handy: 1761234567')).toEqual(['123456', '1761234567']);
  });

  it('leaves dates, amounts, coordinates, postal codes and lamp numbers alone', () => {
    for (const date of ['Seit 03.06.22 dunkel', '(01.01.2022)', 'am 1.6.2022', '(2022.10.06 20:15 h)'])
      expect(spans(findPhones, date), date).toEqual([]);
    expect(
      spans(
        findPhones,
        'am 22.07.2022 (03.06.22) um 07:30, 1.500.000 €, 47.671669; 9.151111, 78462 Konstanz, Mast Nr. 4711, Verwarnung 505.61.698456.4, 2021/2022',
      ),
    ).toEqual([]);
  });
});

describe('findEmails and findUrls', () => {
  it('takes mail addresses and links without the closing punctuation', () => {
    const text = 'Schreiben Sie an erika@example.org. Bild: https://x.example/a.jpg, mehr auf www.konstanz.de!';
    expect(spans(findEmails, text)).toEqual(['erika@example.org']);
    expect(spans(findUrls, text)).toEqual(['https://x.example/a.jpg', 'www.konstanz.de']);
  });
});
