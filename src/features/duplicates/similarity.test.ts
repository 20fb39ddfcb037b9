import { describe, expect, it } from 'vitest';
import { boundingBox, distanceMeters, inBox } from '../../infra/geo.ts';
import { rankCandidates } from './detect.ts';
import { publicPlace } from './public-text.ts';
import { charGrams, gramDice, stemOverlap, textSimilarity } from './similarity.ts';

const lamp = 'Die Laterne vor Hausnummer 12 ist seit drei Tagen dunkel.';

describe('textSimilarity', () => {
  it('finds the same street lamp in other words, spelling and length', () => {
    expect(textSimilarity(lamp, 'Straßenlaterne Marktstätte 12 bleibt nachts dunkel')).toBeGreaterThan(0.25);
    expect(textSimilarity('Strassenlaterne flackert', 'Die Straßenlaterne flackert seit gestern')).toBe(1);
    // Umlauts written as ae/oe/ue meet the real ones.
    expect(textSimilarity('Muelltonne am Spielplatz voll', 'Die Mülltonne am Spielplatz ist voll')).toBe(1);
  });

  it('catches compounds through character grams when no stem is shared', () => {
    expect(stemOverlap('Glascontainer voll', 'Der Altglascontainer quillt über')).toBe(0);
    expect(gramDice('Glascontainer voll', 'Der Altglascontainer quillt über')).toBeGreaterThan(0.5);
  });

  it('scores unrelated reports at zero and ignores stop words and time words', () => {
    expect(textSimilarity(lamp, 'Am Spielplatz liegt überall Müll herum')).toBe(0);
    expect(textSimilarity('Die Bank im Park ist kaputt.', 'Laterne dunkel')).toBe(0);
    expect(textSimilarity('Das ist seit Tagen nicht so', 'Seit Tagen ist das nicht so')).toBe(0);
    expect(charGrams('nicht seit wieder')).toEqual(new Set());
  });

  it('is symmetric and handles empty text', () => {
    const a = 'Schlagloch in der Fahrbahn vor der Schule';
    const b = 'Tiefes Schlagloch vor der Grundschule';
    expect(textSimilarity(a, b)).toBeCloseTo(textSimilarity(b, a), 10);
    expect(textSimilarity('', b)).toBe(0);
  });
});

describe('distance and bounding box', () => {
  const konstanz = { lat: 47.6603, lon: 9.1758 };

  it('measures metres like a map does', () => {
    // 0.001° latitude ≈ 111 m everywhere; 0.001° longitude at 47.66° N ≈ 75 m.
    expect(distanceMeters(konstanz, { lat: 47.6613, lon: 9.1758 })).toBeCloseTo(111.2, 0);
    expect(distanceMeters(konstanz, { lat: 47.6603, lon: 9.1768 })).toBeCloseTo(75.0, 0);
    expect(distanceMeters(konstanz, konstanz)).toBe(0);
  });

  it('the box prefilter never drops a point inside the radius, in any direction', () => {
    for (const radius of [10, 50, 200]) {
      const box = boundingBox(konstanz, radius);
      for (let deg = 0; deg < 360; deg += 15) {
        // A point just inside the circle, found by stepping along the bearing.
        const rad = (deg * Math.PI) / 180;
        const p = {
          lat: konstanz.lat + ((radius * 0.999) / 111_320) * Math.cos(rad),
          lon: konstanz.lon + ((radius * 0.999) / (111_320 * Math.cos((konstanz.lat * Math.PI) / 180))) * Math.sin(rad),
        };
        expect(distanceMeters(konstanz, p)).toBeLessThanOrEqual(radius);
        expect(inBox(p, box)).toBe(true);
      }
    }
  });

  it('the box is tight: a point twice the radius away is outside', () => {
    const box = boundingBox(konstanz, 50);
    expect(inBox({ lat: konstanz.lat + 100 / 111_320, lon: konstanz.lon }, box)).toBe(false);
    expect(inBox({ lat: konstanz.lat, lon: konstanz.lon + 100 / 75_000 }, box)).toBe(false);
  });
});

describe('rankCandidates', () => {
  const base = {
    status: 'new' as const,
    locationText: null,
    categoryName: 'Straßenbeleuchtung',
    teamId: null,
    version: 1,
    createdAt: new Date(),
  };
  const at = (id: number, metresNorth: number, description: string) => ({
    ...base,
    id,
    number: `2026-0000${id}`,
    description,
    lat: 47.6603 + metresNorth / 111_320,
    lon: 9.1758,
  });

  it('keeps similar reports inside the radius, best first, at most three', () => {
    const q = { lat: 47.6603, lon: 9.1758, text: lamp };
    const ranked = rankCandidates(
      [
        at(1, 40, 'Laterne dunkel'),
        at(2, 10, 'Laterne vor Hausnummer 12 dunkel'),
        at(3, 60, 'Laterne dunkel'),
        at(4, 5, 'Parkbank kaputt'),
        at(5, 20, 'Laterne ist dunkel'),
        at(6, 30, 'Straßenlaterne dunkel'),
        { ...at(7, 0, 'Laterne dunkel'), lat: null },
      ],
      q,
      50,
    );
    expect(ranked.map((c) => c.id)).toEqual([2, 5, 1]);
    expect(ranked[0]?.distanceM).toBeCloseTo(10, 0);
    for (const c of ranked) expect(c.score).toBeGreaterThan(0);
  });
});

describe('publicPlace', () => {
  it('masks contact data and shortens at a word', () => {
    const text = 'Laterne dunkel. Rufen Sie mich an: 0751 123 45 67 oder +49 (0)7531/98765, Mail erika@example.org, Foto www.example.org/x';
    const out = publicPlace(text, 200);
    expect(out).not.toMatch(/0751|98765|erika@|example\.org/);
    expect(out).toContain('[Telefon entfernt]');
    expect(out).toContain('[E-Mail entfernt]');
    expect(out).toContain('[Link entfernt]');
    expect(publicPlace('Hausnummer 12 dunkel')).toBe('Hausnummer 12 dunkel');
    const long = publicPlace('wort '.repeat(100), 40);
    expect(long.length).toBeLessThanOrEqual(42);
    expect(long.endsWith(' …')).toBe(true);
  });
});
