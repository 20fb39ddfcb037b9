import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../src/features/cases/audit.ts';
import { refreshPublicCase } from '../../src/features/transparency/projection/write.ts';
import { editText, publishCase, setPublicNote } from '../../src/features/transparency/publication/service.ts';
import type { Db, DbOrTx } from '../../src/infra/db.ts';
import { attachments } from '../../src/infra/schema/index.ts';

const TEST_PUBLISHER: Actor = { userId: null, label: 'Test' };

/**
 * Publishes a case for tests of the public readers (pages, GeoJSON, Open311) through the real
 * projector, exactly as staff pressing "Veröffentlichen" would: masked text, public status, history.
 * `over` sets what staff could set before publishing: an edited public text (masked as well), a
 * public note, and whether every photo is released. Status, category and the like come from the
 * case itself: change the case to change them.
 */
export async function publishForTest(
  db: DbOrTx,
  caseId: number,
  over: { text?: string; statusNote?: string; releasePhotos?: boolean; at?: Date } = {},
): Promise<void> {
  const now = over.at ?? new Date();
  const run = async (tx: DbOrTx) => {
    await publishCase(tx, caseId, TEST_PUBLISHER, now);
    if (over.text !== undefined) await editText(over.text)(tx, caseId, TEST_PUBLISHER, now);
    if (over.statusNote !== undefined) await setPublicNote(over.statusNote)(tx, caseId, TEST_PUBLISHER, now);
    if (over.releasePhotos) {
      await tx
        .update(attachments)
        .set({ releasedAt: now })
        .where(and(eq(attachments.caseId, caseId), eq(attachments.kind, 'photo')));
      await refreshPublicCase(tx, caseId, now);
    }
  };
  // A plain handle gets its own transaction, as every change of a case does.
  if ('transaction' in db && !('rollback' in db)) await (db as Db).transaction(run);
  else await run(db);
}
