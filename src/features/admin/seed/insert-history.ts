import { randomBytes } from 'node:crypto';
import type { Tx } from '../../../infra/db.ts';
import { auditEvents, cases, districts, messages } from '../../../infra/schema/index.ts';
import type { DistrictShape } from '../../cases/reference-data.ts';
import { districtAt } from '../../routing/geo.ts';
import { historicCases } from './history.ts';

const DAY = 24 * 3_600_000;
/** The old portal's reports keep numbers of their own, far from the ones this system hands out. */
const FIRST_HISTORIC_NUMBER = 90_001;
export const HISTORY_ACTOR = 'Übernahme aus dem alten Mängelmelder';

/**
 * Stores last year's closed reports (see history.ts) with their first message and one audit entry
 * each, in bulk: they are an import, not new reports, so they skip intake (no mails, no clocks).
 */
export async function insertHistory(
  tx: Tx,
  town: { teamIds: Map<string, number>; categoryIds: Map<string, number> },
  now: Date,
): Promise<number> {
  const shapes = (await tx.select().from(districts)) as DistrictShape[];
  const rows = historicCases().map((h, i) => {
    const createdAt = new Date(now.getTime() - h.daysAgo * DAY);
    const closedAt = new Date(createdAt.getTime() + h.daysOpen * DAY);
    return {
      number: `${createdAt.getFullYear()}-${FIRST_HISTORIC_NUMBER + i}`,
      trackingToken: randomBytes(24).toString('base64url'),
      channel: 'web' as const,
      type: h.type,
      categoryId: town.categoryIds.get(h.category) ?? null,
      teamId: town.teamIds.get(h.team) ?? null,
      status: h.rejected ? ('rejected' as const) : ('resolved' as const),
      description: h.text,
      locationText: h.street,
      lat: h.lat,
      lon: h.lon,
      districtId: districtAt(shapes, h.lat, h.lon)?.id ?? null,
      createdAt,
      updatedAt: closedAt,
      closedAt,
    };
  });
  const inserted = await tx
    .insert(cases)
    .values(rows)
    .returning({ id: cases.id, createdAt: cases.createdAt, description: cases.description });
  await tx.insert(messages).values(
    inserted.map((c) => ({
      caseId: c.id,
      kind: 'inbound' as const,
      channel: 'web' as const,
      body: c.description,
      createdAt: c.createdAt,
    })),
  );
  await tx.insert(auditEvents).values(
    inserted.map((c) => ({
      caseId: c.id,
      actorLabel: HISTORY_ACTOR,
      action: 'created',
      details: { reason: 'abgeschlossenes Anliegen des Vorjahres' },
      createdAt: c.createdAt,
    })),
  );
  return inserted.length;
}
