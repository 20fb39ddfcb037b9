import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../infra/db.ts';
import { cases, teams } from '../../infra/schema/index.ts';
import { captureChannels } from './form.ts';
import { captureExternalId } from './service.ts';

/** The case a capture form (by its nonce) created, with its team: for the notice after saving. */
export async function capturedCase(db: DbOrTx, nonce: string) {
  const [row] = await db
    .select({ number: cases.number, teamId: cases.teamId, teamName: teams.name })
    .from(cases)
    .leftJoin(teams, eq(teams.id, cases.teamId))
    .where(and(inArray(cases.channel, [...captureChannels]), eq(cases.externalId, captureExternalId(nonce))))
    .limit(1);
  return row ?? null;
}
