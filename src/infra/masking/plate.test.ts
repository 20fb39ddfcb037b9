import { describe, expect, it } from 'vitest';
import { findPlates } from './plate.ts';

const spans = (text: string) => findPlates(text, {}).map((s) => text.slice(s.start, s.end));

describe('findPlates', () => {
  it('finds German plates with dash, space or neither between letters and digits', () => {
    expect(spans('Der Wagen KN-AB 123 parkt neben KN AB 1234E und M-X 1, dahinter KN-AB123.')).toEqual([
      'KN-AB 123',
      'KN AB 1234E',
      'M-X 1',
      'KN-AB123',
    ]);
    expect(spans('mit dem Kennzeichen KN - CE96 abgestellt')).toEqual(['KN - CE96']);
    expect(spans('Oldtimer FN-Z 99H steht da')).toEqual(['FN-Z 99H']);
  });

  it('takes Swiss plates and unseparated ones only after a word like "Kennzeichen"', () => {
    expect(spans('mit dem amtlichen Kennzeichen TG-178970 und Kennzeichen KNAB123')).toEqual(['TG-178970', 'KNAB123']);
    expect(spans('Auto aus TG 178970')).toEqual([]);
  });

  it('leaves roads, signs, lamps and plain numbers alone', () => {
    expect(
      spans(
        'Auf der B 33 und der A 81 Richtung L 221, VZ 260 StVO, Mast Nr. 4711, Konrad KN 229, 78462 Konstanz, 12,50 € am 22.07.2022 um 07:30.',
      ),
    ).toEqual([]);
  });

  it('does not read shouted words or more than eight characters as a plate', () => {
    expect(spans('SEIT TAGEN IM MARIA -ELLENRIEDER STR 18 DUNKEL, UND B 33, KNA-BC 1234')).toEqual([]);
    expect(spans('mit Versicherungskennzeichen aus 2009')).toEqual([]);
  });
});
