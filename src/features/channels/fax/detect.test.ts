import { describe, expect, it } from 'vitest';
import { NO_FAX } from '../accounts/email-settings.ts';
import { faxNumberFrom, isFaxMail } from './detect.ts';

const gateway = { fromAddress: 'fax@telefon.musterstadt.de', subject: 'Fax von +49 7531 12345' };
const citizen = { fromAddress: 'erika@example.org', subject: 'Schlagloch in der Hauptstraße' };

describe('isFaxMail', () => {
  it('takes every mail of a box that is a fax inbox, and none of a box without fax settings', () => {
    expect(isFaxMail({ ...NO_FAX, all: true }, citizen)).toBe(true);
    expect(isFaxMail(NO_FAX, gateway)).toBe(false);
  });

  it('matches the sender address, case-insensitively', () => {
    const fax = { ...NO_FAX, sender: '^fax@telefon\\.musterstadt\\.de$' };
    expect(isFaxMail(fax, gateway)).toBe(true);
    expect(isFaxMail(fax, { ...gateway, fromAddress: 'FAX@Telefon.Musterstadt.DE' })).toBe(true);
    expect(isFaxMail(fax, citizen)).toBe(false);
    expect(isFaxMail(fax, { ...gateway, fromAddress: null })).toBe(false);
  });

  it('matches the subject', () => {
    const fax = { ...NO_FAX, subject: '^(neues )?fax (von|from)' };
    expect(isFaxMail(fax, gateway)).toBe(true);
    expect(isFaxMail(fax, { ...gateway, subject: 'Neues Fax from 07531 12345' })).toBe(true);
    expect(isFaxMail(fax, { ...gateway, subject: 'AW: Ihr Fax von gestern' })).toBe(false);
  });

  it('needs both when both patterns are set', () => {
    const fax = { ...NO_FAX, sender: '@telefon\\.musterstadt\\.de$', subject: '^Fax' };
    expect(isFaxMail(fax, gateway)).toBe(true);
    expect(isFaxMail(fax, { ...gateway, subject: 'Störung der Anlage' })).toBe(false);
    expect(isFaxMail(fax, { ...citizen, subject: 'Fax von mir' })).toBe(false);
  });

  it('treats a stored pattern RE2 cannot compile as matching nothing', () => {
    expect(isFaxMail({ ...NO_FAX, subject: '(?=Fax)' }, gateway)).toBe(false);
  });
});

describe('faxNumberFrom', () => {
  it.each([
    ['Fax von +49 7531 12345', '+49 7531 12345'],
    ['Fax from 07531 12345', '07531 12345'],
    ['Neues Fax von 07531/12345 an 100', '07531/12345'],
    ['Fax from 0049-7531-123-45 to 07531 900', '0049-7531-123-45'],
    ['Fax von +49 (0) 7531 12345 (2 Seiten)', '+49 (0) 7531 12345'],
    ['Fax von 07531 12345 2 Seiten', '07531 12345'],
    ['Fax von 07531 12345 01.05.2026 10:30', '07531 12345'],
    ['Faxeingang, Absender: 0753112345', '0753112345'],
    ['FAX VON   +49   7531   12345', '+49 7531 12345'],
  ])('%s → %s', (subject, number) => {
    expect(faxNumberFrom(subject)).toBe(number);
  });

  it.each([
    'Fax',
    'Fax von Unbekannt',
    'Fax von 123',
    'Fax vom 01.05.2026',
    'Schlagloch in der Hauptstraße 12345',
    `Fax von ${'1'.repeat(30)}`,
  ])('finds no number in %s', (subject) => {
    expect(faxNumberFrom(subject)).toBeNull();
  });
});
