import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../src/infra/db.ts';
import { mailPayload } from '../../src/infra/outbox-mail.ts';
import { type OutboxStatus, outbox } from '../../src/infra/schema/index.ts';

export interface MailFilter {
  caseId?: number;
  to?: string | string[];
  subject?: string;
  status?: OutboxStatus;
}

/** The mail rows of the one outbox, oldest first, with their payload spread out as a mail reads. */
export async function outboxMails(db: DbOrTx, filter: MailFilter = {}) {
  const where: (SQL | undefined)[] = [
    eq(outbox.kind, 'email'),
    filter.caseId !== undefined ? eq(outbox.caseId, filter.caseId) : undefined,
    typeof filter.to === 'string' ? eq(outbox.address, filter.to) : undefined,
    Array.isArray(filter.to) ? inArray(outbox.address, filter.to) : undefined,
    filter.status ? eq(outbox.status, filter.status) : undefined,
  ];
  const rows = await db
    .select()
    .from(outbox)
    .where(and(...where))
    .orderBy(asc(outbox.id));
  return rows
    .map((row) => {
      const mail = mailPayload.parse(row.payload);
      return { ...row, toAddress: row.address, messageId: row.externalRef ?? '', ...mail };
    })
    .filter((m) => filter.subject === undefined || m.subject === filter.subject);
}
export type OutboxMail = Awaited<ReturnType<typeof outboxMails>>[number];
