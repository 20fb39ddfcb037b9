/** Mean earth radius (IUGG), metres: haversine with it is off by < 0.5 % anywhere, far below GPS noise. */
const EARTH_RADIUS_M = 6_371_008.8;
/** Metres per degree of latitude; the same for longitude at the equator. */
const METRES_PER_DEGREE = 111_320;

const rad = (deg: number) => (deg * Math.PI) / 180;

export interface Point {
  lat: number;
  lon: number;
}

/** Great-circle distance in metres. */
export function distanceMeters(a: Point, b: Point): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface Box {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

/**
 * A lat/lon rectangle that surely contains the circle of `radiusM` around the point, so the
 * (lat, lon) index narrows the candidates before the exact distance is computed. It errs on the
 * large side (1 % margin, the wider longitude span of the circle's pole-side edge), never the small.
 */
export function boundingBox(center: Point, radiusM: number): Box {
  const r = radiusM * 1.01;
  const dLat = r / METRES_PER_DEGREE;
  const poleward = Math.min(89.9, Math.abs(center.lat) + dLat);
  const dLon = r / (METRES_PER_DEGREE * Math.cos(rad(poleward)));
  return {
    minLat: center.lat - dLat,
    maxLat: center.lat + dLat,
    minLon: center.lon - Math.min(180, dLon),
    maxLon: center.lon + Math.min(180, dLon),
  };
}

export function inBox(p: Point, box: Box): boolean {
  return p.lat >= box.minLat && p.lat <= box.maxLat && p.lon >= box.minLon && p.lon <= box.maxLon;
}
