import { describe, expect, it } from 'vitest';
import { applyMasks, maskPersonalData } from './mask.ts';

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
});
