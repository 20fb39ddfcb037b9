import { randomBytes } from 'node:crypto';
import type { Tx } from '../../infra/db.ts';
import { upsertContact } from '../cases/contacts.ts';
import { referenceData } from '../cases/reference-data.ts';
import { publicCasePage } from '../transparency/projection/read.ts';
import { insertSubscription } from './queries.ts';

/**
 * A few confirmed follow subscriptions of the demo town, to addresses that reach nobody
 * (example.org): one to the newest public report, one to a district, one within 500 m of a public
 * report's place.
 * Their mails start with what becomes public after the seed.
 */
export async function seedDemoSubscriptions(tx: Tx, now: Date): Promise<number> {
  const confirmed = (contactId: number) => ({
    contactId,
    token: randomBytes(24).toString('base64url'),
    confirmedAt: now,
    notifiedUntil: now,
    createdAt: now,
  });
  const contact = (address: string) => upsertContact(tx, { kind: 'email', address, displayName: null });
  const recent = (await publicCasePage(tx, {}, { offset: 0, limit: 20 })).rows;
  const newest = recent[0];
  const placed = recent.find((c) => c.lat !== null && c.lon !== null);
  const [district] = (await referenceData(tx, { fresh: true })).districts;
  const rows = [
    ...(newest ? [{ kind: 'case' as const, caseId: newest.caseId, ...confirmed(await contact('nachbarin@example.org')) }] : []),
    ...(district ? [{ kind: 'area' as const, districtId: district.id, ...confirmed(await contact('stadtteilverein@example.org')) }] : []),
    ...(placed?.lat != null && placed.lon != null
      ? [{ kind: 'area' as const, lat: placed.lat, lon: placed.lon, radiusM: 500, ...confirmed(await contact('anwohner@example.org')) }]
      : []),
  ];
  for (const row of rows) await insertSubscription(tx, row);
  return rows.length;
}
