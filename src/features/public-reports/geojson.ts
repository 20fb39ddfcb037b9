import type { Feature, FeatureCollection, Point } from 'geojson';
import { type LatLonBox, type PublicCasePoint, publicStatusLabels } from '../transparency/projection/read.ts';

/** At most this many markers per answer: the newest; the map asks the citizen to zoom in for the rest. */
export const MAP_CAP = 500;
/** The largest box the map may ask for, in degrees (a town, not a country). */
export const MAX_SPAN_DEGREES = 1;

/** A decimal number as a map library writes it; no exponent, no hex, nothing else. */
const NUMBER = /^-?\d{1,3}(\.\d{1,15})?$/;

/**
 * The `bbox` parameter in RFC 7946 order: minLon,minLat,maxLon,maxLat in WGS84 degrees. Returns the
 * box or a German reason why it cannot be used.
 */
export function parseBbox(raw: unknown): { box: LatLonBox } | { error: string } {
  if (typeof raw !== 'string' || raw === '') {
    return { error: 'Bitte geben Sie den Kartenausschnitt als bbox=minLon,minLat,maxLon,maxLat an.' };
  }
  const parts = raw.split(',');
  if (parts.length !== 4 || !parts.every((p) => NUMBER.test(p))) {
    return { error: 'Der Kartenausschnitt muss aus vier Dezimalzahlen bestehen: minLon,minLat,maxLon,maxLat.' };
  }
  const [minLon, minLat, maxLon, maxLat] = parts.map(Number) as [number, number, number, number];
  if ([minLon, maxLon].some((x) => x < -180 || x > 180) || [minLat, maxLat].some((y) => y < -90 || y > 90)) {
    return { error: 'Der Kartenausschnitt liegt außerhalb der Erde: Längen von −180 bis 180, Breiten von −90 bis 90 Grad.' };
  }
  if (minLon >= maxLon || minLat >= maxLat) {
    return { error: 'Der Kartenausschnitt ist vertauscht: zuerst die kleineren Werte (minLon,minLat), dann die größeren.' };
  }
  if (maxLon - minLon > MAX_SPAN_DEGREES || maxLat - minLat > MAX_SPAN_DEGREES) {
    return { error: 'Der Kartenausschnitt ist zu groß. Bitte zoomen Sie näher heran.' };
  }
  return { box: { minLon, minLat, maxLon, maxLat } };
}

export interface CaseProperties {
  number: string;
  category: string | null;
  status: string;
  statusLabel: string;
  reportedAt: string;
  url: string;
}

/**
 * The points as an RFC 7946 FeatureCollection ([lon, lat]); `capped` and `hint` are foreign
 * members (allowed by RFC 7946 §6.1) that tell the map there were more than it got.
 */
export function toFeatureCollection(
  points: PublicCasePoint[],
  capped: boolean,
): FeatureCollection<Point, CaseProperties> & { capped: boolean; hint?: string } {
  const features = points.map(
    (p): Feature<Point, CaseProperties> => ({
      type: 'Feature',
      id: p.number,
      geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
      properties: {
        number: p.number,
        category: p.categoryName,
        status: p.status,
        statusLabel: publicStatusLabels[p.status],
        reportedAt: p.reportedAt.toISOString(),
        url: `/meldungen/${encodeURIComponent(p.number)}`,
      },
    }),
  );
  return {
    type: 'FeatureCollection',
    features,
    capped,
    ...(capped
      ? { hint: `Die Karte zeigt die ${MAP_CAP} neuesten Meldungen in diesem Ausschnitt. Zoomen Sie hinein, um alle zu sehen.` }
      : {}),
  };
}
