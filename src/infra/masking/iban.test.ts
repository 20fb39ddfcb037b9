import { describe, expect, it } from 'vitest';
import { findIbans, ibanChecksumValid } from './iban.ts';

const spans = (text: string) => findIbans(text, {}).map((s) => text.slice(s.start, s.end));

describe('IBAN checksum (mod 97)', () => {
  it('accepts the published examples of several countries', () => {
    for (const iban of ['DE89 3704 0044 0532 0130 00', 'AT611904300234573201', 'CH9300762011623852957', 'GB82 WEST 1234 5698 7654 32']) {
      expect(ibanChecksumValid(iban), iban).toBe(true);
    }
  });

  it('refuses a changed digit or swapped check digits', () => {
    expect(ibanChecksumValid('DE89 3704 0044 0532 0130 01')).toBe(false);
    expect(ibanChecksumValid('DE98 3704 0044 0532 0130 00')).toBe(false);
  });
});

describe('findIbans', () => {
  it('finds German IBANs in groups and in one piece, and stops at the country length', () => {
    expect(spans('Bitte auf DE89 3704 0044 0532 0130 00 erstatten, oder DE89370400440532013000.')).toEqual([
      'DE89 3704 0044 0532 0130 00',
      'DE89370400440532013000',
    ]);
    expect(spans('IBAN: DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX')).toEqual(['DE89 3704 0044 0532 0130 00']);
  });

  it('finds IBANs of other countries', () => {
    expect(spans('Konto in der Schweiz: CH93 0076 2011 6238 5295 7, Österreich AT61 1904 3002 3457 3201.')).toEqual([
      'CH93 0076 2011 6238 5295 7',
      'AT61 1904 3002 3457 3201',
    ]);
  });

  it('ignores strings that fail the checksum and long numbers without a country', () => {
    expect(spans('IBAN DE89 3704 0044 0532 0130 01')).toEqual([]);
    expect(spans('Zählernummer 12345678901234567890, Vorgang KN12 3456 7890 1234 5678')).toEqual([]);
  });
});
