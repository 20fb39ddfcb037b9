import { z } from 'zod';
import type { Config } from '../../config.ts';
import { distanceMeters } from '../../infra/geo.ts';
import { emailField } from '../../infra/text-input.ts';
import type { ReferenceData } from '../cases/reference-data.ts';
import type { Area } from './queries.ts';

/** The radii an area alert offers, in metres. */
export const RADII = ['250', '500', '1000'] as const;
/** A point farther than this from the town's map centre is surely a typo (lat and lon swapped …). */
const MAX_KM_FROM_CENTRE = 50;

/** Body limit of these forms: an address and a few choices fit ten times over. */
export const FOLLOW_BODY_LIMIT = 4 * 1024;

export const caseFollowSchema = z.object({ email: emailField });

export interface AreaFormValues {
  email: string;
  bereich: string;
  bezirk: string;
  lat: string;
  lon: string;
  radius: string;
  kategorie: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

export function areaFormValues(body: Record<string, unknown>): AreaFormValues {
  return {
    email: str(body.email),
    bereich: str(body.bereich) || 'bezirk',
    bezirk: str(body.bezirk),
    lat: str(body.lat),
    lon: str(body.lon),
    radius: str(body.radius) || '500',
    kategorie: str(body.kategorie),
  };
}

/** "47,6633" and "47.6633" alike; null for anything that is no decimal number. */
function decimal(v: string): number | null {
  const t = v.trim().replace(',', '.');
  return /^-?\d{1,3}(\.\d{1,10})?$/.test(t) ? Number(t) : null;
}

export type AreaParse = { ok: true; email: string; area: Area } | { ok: false; values: AreaFormValues; errors: Record<string, string> };

/**
 * The area alert form: an address, a district or a point with a radius, optionally a category. Each
 * field gets its own German message; a repeated field (an array) is refused like any wrong value.
 */
export function parseAreaForm(body: Record<string, unknown>, ref: ReferenceData, map: Config['map']): AreaParse {
  const values = areaFormValues(body);
  const errors: Record<string, string> = {};
  for (const [key, v] of Object.entries(body)) {
    if (Array.isArray(v)) errors[key] = 'Dieses Feld kam mehrfach an. Bitte senden Sie das Formular noch einmal.';
  }
  const email = emailField.safeParse(body.email);
  if (!email.success) errors.email = email.error.issues[0]?.message ?? 'Bitte geben Sie eine gültige E-Mail-Adresse ein.';

  let categoryId: number | null = null;
  if (values.kategorie) {
    const category = ref.categoriesBySlug.get(values.kategorie);
    if (category) categoryId = category.id;
    else errors.kategorie = 'Diese Kategorie gibt es nicht. Bitte wählen Sie eine aus der Liste.';
  }

  let area: Area | null = null;
  if (values.bereich === 'bezirk') {
    const district = /^\d{1,9}$/.test(values.bezirk) ? ref.districts.find((d) => d.id === Number(values.bezirk)) : undefined;
    if (district) area = { districtId: district.id, categoryId };
    else errors.bezirk = 'Bitte wählen Sie einen Stadtteil aus der Liste.';
  } else if (values.bereich === 'umkreis') {
    const lat = decimal(values.lat);
    const lon = decimal(values.lon);
    if (lat === null || lat < -90 || lat > 90) errors.lat = 'Bitte geben Sie die Breite als Dezimalzahl an, z. B. 47.66330.';
    if (lon === null || lon < -180 || lon > 180) errors.lon = 'Bitte geben Sie die Länge als Dezimalzahl an, z. B. 9.17530.';
    const radius = (RADII as readonly string[]).includes(values.radius) ? Number(values.radius) : null;
    if (radius === null) errors.radius = 'Bitte wählen Sie einen der angebotenen Umkreise.';
    if (lat !== null && lon !== null && !errors.lat && !errors.lon) {
      const km = distanceMeters({ lat, lon }, { lat: map.center[0], lon: map.center[1] }) / 1000;
      if (km > MAX_KM_FROM_CENTRE) errors.lat = 'Dieser Punkt liegt weit außerhalb der Stadt. Sind Breite und Länge vertauscht?';
      else if (radius !== null) area = { lat, lon, radiusM: radius, categoryId };
    }
  } else {
    errors.bereich = 'Bitte wählen Sie: ein Stadtteil oder ein Umkreis um einen Punkt.';
  }

  if (Object.keys(errors).length > 0 || !email.success || !area) return { ok: false, values, errors };
  return { ok: true, email: email.data, area };
}
