import type { DbOrTx } from '../../infra/db.ts';
import type { ChannelName } from '../../infra/schema/index.ts';
import type { Actor, AuditAction } from '../cases/audit.ts';
import { findDuplicateCandidates } from './detect.ts';

const DUPLICATE_CHECK: Actor = { userId: null, label: 'Duplikatsuche' };

/**
 * The duplicate step of the intake pipeline for channels that cannot ask the citizen (mail,
 * phone, social media): similar open reports are noted in the new case's audit trail, for staff
 * to merge or not; nothing is blocked. The web form asked before intake (web-check.ts), so it is
 * skipped here.
 */
export async function duplicateSuggestion(
  db: DbOrTx,
  p: { channel: ChannelName; categoryId: number | null; lat: number | null; lon: number | null; text: string; now: Date },
): Promise<{ actor: Actor; action: AuditAction; details: Record<string, unknown> }[]> {
  if (p.channel === 'web' || p.categoryId === null || p.lat === null || p.lon === null) return [];
  const found = await findDuplicateCandidates(db, { categoryId: p.categoryId, lat: p.lat, lon: p.lon, text: p.text, now: p.now });
  if (found.length === 0) return [];
  return [
    {
      actor: DUPLICATE_CHECK,
      action: 'duplicate_suggested',
      details: {
        numbers: found.map((c) => c.number),
        reason: found.map((c) => `${c.number} (${Math.round(c.distanceM)} m)`).join(', '),
      },
    },
  ];
}
