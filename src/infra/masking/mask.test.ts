import { describe, expect, it } from 'vitest';
import { applyMasks, findPersonalData, maskPersonalData } from './mask.ts';

describe('maskPersonalData', () => {
  it('masks mail addresses, links and phone numbers, and keeps short numbers', () => {
    const r = maskPersonalData(
      'Laterne Hausnummer 12 dunkel, bitte an erika@example.org oder 0761 / 123 45 67, Foto: https://x.example/a.jpg.',
    );
    expect(r.text).toBe('Laterne Hausnummer 12 dunkel, bitte an [E-Mail entfernt] oder [Telefon entfernt], Foto: [Link entfernt].');
    expect(r.masks.map((m) => m.kind)).toEqual(['email', 'phone', 'url']);
  });

  it("masks the reporter's own name, whole and in parts, but not inside other words", () => {
    const r = maskPersonalData('Frau Mustermann meldet: Erika sah es am Mustermannweg.', { knownNames: ['Erika Mustermann'] });
    expect(r.text).toBe('Frau [Name entfernt] meldet: [Name entfernt] sah es am Mustermannweg.');
  });

  it('leaves an unmasked span in the text', () => {
    const source = 'Ruf an: 0761 1234567';
    const { masks } = maskPersonalData(source);
    expect(
      applyMasks(
        source,
        masks.map((m) => ({ ...m, unmasked: true })),
      ),
    ).toBe(source);
  });

  it('masks every kind in one text and keeps the street of a masked house number', () => {
    const r = maskPersonalData(
      'Frau Müller (KN-AB 123) wohnt Goethestraße 12a, IBAN DE89 3704 0044 0532 0130 00.\nMit freundlichen Grüßen\nErika Mustermann',
      { maskHouseNumbers: true },
    );
    expect(r.text).toBe(
      'Frau [Name entfernt] ([Kennzeichen entfernt]) wohnt Goethestraße [Hausnummer entfernt], IBAN [IBAN entfernt].\nMit freundlichen Grüßen\n[Name entfernt]',
    );
    expect(r.masks.map((m) => m.kind)).toEqual(['name', 'plate', 'house_number', 'iban', 'name']);
  });

  it('finds nothing in an ordinary report full of numbers, roads and street names', () => {
    const text =
      'Auf der B 33 Höhe A 81, Goethestraße, Hausnummer 12: Mast Nr. 4711 ist seit 22.07.2022 um 07:30 dunkel, 78462 Konstanz, ' +
      'Schaden 1.500,00 €, am Bach beim Stein an der Kirche, Konrad KN 229.';
    expect(findPersonalData(text)).toEqual([]);
  });

  it('merges overlapping hits into one mask', () => {
    const masks = findPersonalData('Herr Max Müller', { knownNames: ['Max Müller'] });
    expect(masks).toEqual([{ kind: 'name', start: 5, end: 15 }]);
  });
});
