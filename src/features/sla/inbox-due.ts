import { sql } from 'drizzle-orm';
import { caseSlas } from '../../infra/schema/index.ts';

/** The inbox sort key "nach Fälligkeit": a case without a running clock sorts after every deadline. */
export const dueSortKey = sql`coalesce(${caseSlas.dueAt}, 'infinity'::timestamptz)`;

/** What the inbox needs to show a case's clock (the state follows from these and the time now). */
export interface InboxDue {
  dueAt: Date | null;
  warnAt: Date | null;
  resolutionDueAt: Date;
  closedAt: Date | null;
}

export function inboxDueOf(r: {
  slaCaseId: number | null;
  dueAt: Date | null;
  warnAt: Date | null;
  resolutionDueAt: Date | null;
  closedAt: Date | null;
}): InboxDue | null {
  if (r.slaCaseId === null || r.resolutionDueAt === null) return null;
  return { dueAt: r.dueAt, warnAt: r.warnAt, resolutionDueAt: r.resolutionDueAt, closedAt: r.closedAt };
}
