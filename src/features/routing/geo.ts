import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { DistrictShape } from '../cases/reference-data.ts';

/** The district (Stadtteil) containing a point, tested in code because we run without PostGIS. */
export function districtAt(districts: DistrictShape[], lat: number, lon: number): DistrictShape | null {
  return districts.find((d) => booleanPointInPolygon([lon, lat], d.geometry)) ?? null;
}
