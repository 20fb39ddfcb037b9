import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';

export interface DistrictShape {
  id: number;
  name: string;
  geometry: Polygon | MultiPolygon;
}

/** The district (Stadtteil) containing a point, tested in code because we run without PostGIS. */
export function districtAt(districts: DistrictShape[], lat: number, lon: number): DistrictShape | null {
  return districts.find((d) => booleanPointInPolygon([lon, lat], d.geometry)) ?? null;
}
