import { describe, expect, it } from 'vitest';
import { defaultFeatureOptions, rawFeatures, streetOf } from './features.ts';

describe('location and time features', () => {
  it('takes the street from an address, without house number, folded', () => {
    expect(streetOf('Gottlieber Str. 56A, 78462 Konstanz, Germany')).toBe('gottlieber-str');
    expect(streetOf('Seestraße 3')).toBe('seestrasse');
    expect(streetOf('Schleyerweg 6, 78467 Konstanz, Germany')).toBe('schleyerweg');
    expect(streetOf('12, 78462 Konstanz')).toBeNull();
    expect(streetOf(null)).toBeNull();
  });

  it('adds street and month only when the settings ask for them', () => {
    const input = {
      text: 'Laterne dunkel',
      lat: 47.66,
      lon: 9.17,
      address: 'Seestraße 3, 78464 Konstanz',
      reportedAt: '2021-07-14 10:00:00',
    };
    const plain = [...rawFeatures(input).fixed.keys()];
    expect(plain.some((k) => /^[sm]:/.test(k))).toBe(false);
    const all = rawFeatures(input, { ...defaultFeatureOptions, street: true, month: true }).fixed;
    expect(all.get('s:seestrasse')).toBe(1);
    expect(all.get('m:7')).toBe(1);
  });

  it('takes a live case without date as reported now', () => {
    const f = rawFeatures({ text: 'x' }, { ...defaultFeatureOptions, month: true }).fixed;
    expect(f.get(`m:${new Date().getMonth() + 1}`)).toBe(1);
  });

  it('uses the configured character n-gram lengths', () => {
    const f = rawFeatures({ text: 'Laterne' }, { ...defaultFeatureOptions, charMin: 4, charMax: 4 });
    expect([...f.chars.keys()].every((k) => k.length === 'c:'.length + 4)).toBe(true);
    expect(f.chars.get('c:tern')).toBe(1);
  });
});
