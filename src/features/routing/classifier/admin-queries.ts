import { and, count, inArray, isNotNull } from 'drizzle-orm';
import type { DbOrTx } from '../../../infra/db.ts';
import { cases } from '../../../infra/schema/index.ts';
import { closedStatuses } from '../../cases/labels.ts';

/** How many closed cases the next training would learn from (the filter of closedCasesForTraining). */
export async function trainableCaseCount(db: DbOrTx): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(cases)
    .where(and(isNotNull(cases.closedAt), inArray(cases.status, [...closedStatuses])));
  return row?.n ?? 0;
}
