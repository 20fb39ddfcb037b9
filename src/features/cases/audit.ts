import type { DbOrTx } from '../../infra/db.ts';
import { auditEvents } from '../../infra/schema/index.ts';

/** Who did something: a staff member, or a named automatic actor ("Regel X", "System", "Bürger/in"). */
export type Actor = { userId: number; label: string } | { userId: null; label: string };

export const SYSTEM: Actor = { userId: null, label: 'System' };
export const CITIZEN: Actor = { userId: null, label: 'Bürger/in' };

/** Audit actions with a German label each; the case page and tracking page show these labels. */
export const auditLabels = {
  created: 'Anliegen eingegangen',
  routed: 'Zugewiesen',
  status_changed: 'Status geändert',
  type_changed: 'Art geändert',
  category_changed: 'Kategorie geändert',
  team_changed: 'Team geändert',
  assigned: 'Bearbeitung übernommen',
  priority_changed: 'Priorität geändert',
  replied: 'Antwort gesendet',
  note_added: 'Interne Notiz',
  followup_received: 'Nachricht der Bürgerin / des Bürgers',
} as const;
export type AuditAction = keyof typeof auditLabels;

export async function recordAudit(
  db: DbOrTx,
  entry: { caseId: number; actor: Actor; action: AuditAction; details?: Record<string, unknown>; at?: Date },
): Promise<void> {
  await db.insert(auditEvents).values({
    caseId: entry.caseId,
    actorUserId: entry.actor.userId,
    actorLabel: entry.actor.label,
    action: entry.action,
    details: entry.details ?? {},
    ...(entry.at ? { createdAt: entry.at } : {}),
  });
}
