import type { DbOrTx } from '../../infra/db.ts';
import { auditEvents } from '../../infra/schema/index.ts';
import { publishCaseChange } from './live/notify.ts';

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
  sla_applied: 'Frist festgelegt',
  sla_warning: 'Frist läuft bald ab',
  sla_breached: 'Frist überschritten',
  merged: 'Duplikat übernommen',
  merged_into: 'Als Duplikat zusammengeführt',
  follower_added: 'Weitere Person folgt',
  reporters_notified: 'Meldende benachrichtigt',
  duplicate_suggested: 'Mögliches Duplikat',
  rule_applied: 'Regel angewendet',
  tagged: 'Schlagwort vergeben',
  bounced: 'Mail kam unzustellbar zurück',
  source_status: 'Status in der Quelle geändert',
  contact_linked: 'Kontakt verknüpft',
  contact_unlinked: 'Kontakt-Verknüpfung gelöst',
  publication_published: 'Veröffentlicht',
  publication_withheld: 'Nicht veröffentlicht',
  publication_withdrawn: 'Veröffentlichung zurückgezogen',
  publication_text_edited: 'Öffentlicher Text bearbeitet',
  publication_masks_changed: 'Schwärzungen geändert',
  photo_released: 'Foto freigegeben',
  photo_unreleased: 'Foto nicht freigegeben',
  public_note: 'Öffentlicher Hinweis',
  case_linked: 'Anliegen verknüpft',
  case_unlinked: 'Verknüpfung gelöst',
  routing_hint: 'Zuständigkeit prüfen',
  routing_checked: 'Zuständigkeit geprüft',
  fix_check_asked: 'Nachgefragt: wirklich behoben?',
  fix_check_yes: 'Bürger/in bestätigt: behoben',
  fix_check_no: 'Bürger/in sagt: nicht behoben',
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
  // Every change to a case leaves an audit entry, so this is the one place that tells open inboxes
  // and case pages about it (at commit; repeated steps of one change collapse into one notice).
  await publishCaseChange(db, {
    caseId: entry.caseId,
    actorUserId: entry.actor.userId,
    actorLabel: entry.actor.label,
    created: entry.action === 'created',
  });
  // A case that leaves a team vanishes from that team's inboxes: they hear of it with a notice of
  // its own, which reaches only the streams that no longer see the case (no double notice).
  const fromTeamId = entry.details?.fromTeamId;
  if (typeof fromTeamId === 'number') {
    await publishCaseChange(db, {
      caseId: entry.caseId,
      actorUserId: entry.actor.userId,
      actorLabel: entry.actor.label,
      created: false,
      movedFromTeamId: fromTeamId,
    });
  }
}

/** Shown when an audit action is unknown to this version (an older or newer feature wrote it). */
export function auditLabel(action: string): string {
  return (auditLabels as Record<string, string>)[action] ?? action;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/**
 * The German "what exactly" beside an audit entry, from the details stored with it. Values are
 * stored as codes (status, type, priority) or names (team, category, person) at the time of the
 * change, so the trail stays true even after a team is renamed.
 */
export function describeAudit(action: string, details: unknown, labels: AuditValueLabels): string | null {
  const d = (details && typeof details === 'object' ? details : {}) as Record<string, unknown>;
  const fromTo = (map?: Record<string, string>, none = '–') => {
    const name = (v: unknown) => (str(v) ? (map?.[v as string] ?? (v as string)) : none);
    return `${name(d.from)} → ${name(d.to)}`;
  };
  const withReason = (text: string | null) => {
    const reason = str(d.reason);
    if (!reason) return text;
    return text ? `${text} (${reason})` : reason;
  };
  switch (action) {
    case 'created':
    case 'followup_received':
      return str(d.channel) ? `über ${labels.channel[d.channel as string] ?? d.channel}` : null;
    case 'routed':
      return str(d.reason);
    case 'status_changed': {
      const text = withReason(fromTo(labels.status));
      return str(d.note) ? `${text} – öffentlicher Hinweis: „${d.note}“` : text;
    }
    case 'public_note':
      return str(d.note) ? `„${d.note}“` : 'entfernt';
    case 'type_changed':
      return fromTo(labels.type, 'unklar');
    case 'priority_changed':
      return fromTo(labels.priority);
    case 'category_changed':
      return fromTo(undefined, 'keine');
    case 'team_changed':
      return fromTo(undefined, 'ohne Team');
    case 'assigned':
      return withReason(str(d.to) ? `an ${d.to}` : 'Zuweisung aufgehoben');
    case 'replied':
      return str(d.note);
    case 'tagged':
      return str(d.tag);
    // Contact ids only: the trail is read by more people than the contacts are.
    case 'contact_linked':
      return typeof d.otherId === 'number' ? `Kontakt Nr. ${d.otherId} gehört jetzt zur selben Person` : null;
    case 'contact_unlinked':
      return typeof d.contactId === 'number' ? `Kontakt Nr. ${d.contactId} steht wieder für sich` : null;
    case 'case_linked':
      if (!str(d.number)) return null;
      return d.kind === 'follow_up_of'
        ? `Folgeanliegen zu ${d.number}`
        : d.kind === 'follow_up'
          ? `Folgeanliegen: ${d.number}`
          : `mit ${d.number}`;
    case 'case_unlinked':
      return str(d.number) ? `mit ${d.number}` : null;
    default:
      return withReason(null);
  }
}

export interface AuditValueLabels {
  status: Record<string, string>;
  type: Record<string, string>;
  priority: Record<string, string>;
  channel: Record<string, string>;
}
