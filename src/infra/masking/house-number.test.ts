import { describe, expect, it } from 'vitest';
import { findHouseNumbers } from './house-number.ts';

const spans = (text: string, maskHouseNumbers = true) =>
  findHouseNumbers(text, { maskHouseNumbers }).map((s) => text.slice(s.start, s.end));

describe('findHouseNumbers', () => {
  it('masks nothing unless the category asks for it', () => {
    expect(spans('Goethestraße 12 und Hausnummer 12', false)).toEqual([]);
  });

  it('takes the number after one-word and two-word street names, and keeps the street', () => {
    expect(spans('Vor Goethestraße 12a, Zeller Str. 11, Dingelsdorfer Str.2, Hermann-von-Vicari Straße 4 und Am Moosweg 12-14.')).toEqual([
      '12a',
      '11',
      '2',
      '4',
      '12-14',
    ]);
    expect(spans('Ecke Rheingasse 3/1, Seeallee 5, Feldring 7, Lorettosteig 9 b')).toEqual(['3/1', '5', '7', '9 b']);
  });

  it('takes streets typed in lower case or capitals, and lists of houses', () => {
    expect(spans('zwischen alemannenstr 1 und 3, MARIA -ELLENRIEDER STR 18, Wollmatingerstr 2+4')).toEqual(['1', '3', '18', '2', '4']);
  });

  it('takes a number that says it is a house number', () => {
    expect(spans('Laterne vor Hausnummer 38 und Haus Nr. 22 ist dunkel')).toEqual(['38', '22']);
  });

  it('leaves roads, ways, measures, times, postal codes and lamps alone', () => {
    expect(
      spans(
        'Bundesstraße 33, der Radweg 2 m breit, auf dem Gehweg 3 Autos, Goethestraße, Mainaustraße 30 km/h, die Straße 3 mal gemeldet, ' +
          'Hauptstraße 12:30 Uhr, Seestraße 2,5 Meter, 78462 Konstanz, Mast Nr. 4711, Laterne 12, am 22.07.2022',
      ),
    ).toEqual([]);
  });

  it('does not take a postal code for a house number', () => {
    expect(spans('Zellerstraße 78465 Konstanz')).toEqual([]);
  });
});
