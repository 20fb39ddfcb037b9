import { describe, expect, it } from 'vitest';
import { applyMasks } from '../../../infra/masking/mask.ts';
import { masksFor, maskTerm, setUnmasked, withNewNames } from './masks.ts';

describe('publication masks', () => {
  const text = 'Laterne kaputt, siehe www.stadtwerke.example. Gruß Erika Muster';
  const opts = { knownNames: ['Erika Muster'] };

  it('keeps an unmask and a hand mask when the text is edited', () => {
    const first = masksFor(text, opts);
    expect(applyMasks(text, first)).toBe('Laterne kaputt, siehe [Link entfernt]. Gruß [Name entfernt]');
    const unmasked = setUnmasked(first, 0, true) ?? [];
    const handMasked = maskTerm(text, unmasked, 'Laterne');
    const edited = 'Die Laterne ist kaputt: www.stadtwerke.example sagt Bescheid. Erika Muster';
    const after = masksFor(edited, opts, { text, masks: handMasked });
    expect(applyMasks(edited, after)).toBe('Die [Name entfernt] ist kaputt: www.stadtwerke.example sagt Bescheid. [Name entfernt]');
  });

  it('re-masks, refuses an unknown index, and masks names that became known later', () => {
    const masks = masksFor(text, opts);
    expect(setUnmasked(setUnmasked(masks, 1, true) ?? [], 1, false)).toEqual(masks);
    expect(setUnmasked(masks, 7, true)).toBeNull();
    const plain = 'Herr Folger hat es auch gesehen.';
    expect(applyMasks(plain, withNewNames(plain, [], { knownNames: ['Fritz Folger'] }))).toBe('Herr [Name entfernt] hat es auch gesehen.');
  });

  it('masks a term only as a whole word', () => {
    expect(maskTerm('Hinzberg und Hinz', [], 'Hinz')).toEqual([{ kind: 'name', start: 13, end: 17 }]);
  });
});
