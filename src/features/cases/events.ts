import type { CaseStatus, CaseType, ChannelName, Priority } from '../../infra/schema/index.ts';
import type { Actor } from './audit.ts';

/** The fields of a case that its clock and its routing care about, before and after a change. */
export interface CaseFacts {
  status: CaseStatus;
  teamId: number | null;
  type: CaseType | null;
  priority: Priority;
  categoryId: number | null;
}

export interface CaseChanged {
  caseId: number;
  before: CaseFacts;
  after: CaseFacts;
  /** A reply to the citizen went out with this change: the first one stops the response clock. */
  replied: boolean;
  /** The audit actions of the change, in order. */
  actions: string[];
  actor: Actor;
  at: Date;
  /** A routing rule named the deadline policy that holds from this change on, instead of the one the facts pick. */
  deadlinePolicy?: { id: number; actor: Actor };
}

/** What the resolution notices need of the case that was just resolved. */
export interface ResolvedCase {
  id: number;
  number: string;
  channel: ChannelName;
  status: CaseStatus;
  categoryId: number | null;
  channelAccountId: number | null;
  reporterName: string | null;
  contactId: number | null;
  trackingToken: string;
}

export interface CaseResolved {
  case: ResolvedCase;
  actor: Actor;
  staffName: string;
  teamName: string | null;
  /** The same step already answered the case's own reporter (the clerk's "Antworten und erledigen"). */
  ownReporterAnswered: boolean;
  at: Date;
}

/** A case was opened by intake (any channel, also the one-statement web report). */
export interface CaseCreated {
  caseId: number;
  number: string;
  channel: ChannelName;
  teamId: number | null;
  categoryId: number | null;
  type: CaseType | null;
  priority: Priority;
  /** The closed case a citizen wrote to, when its team opens a new case for that (teams.followup_after_close). */
  followUpOf: number | null;
  at: Date;
}

/** An answer to the citizen was recorded (and handed to its channel, when it has a way back). */
export interface CaseAnswered {
  caseId: number;
  messageId: number;
  channel: ChannelName;
  /** False for a clerk's reply; true for an answer nobody wrote by hand. */
  automatic: boolean;
  actor: Actor;
  at: Date;
}

/**
 * The events of the cases core (infra/events.ts). Emitted in the transaction of the change;
 * features subscribe in src/subscribers.ts: SLA and duplicates inside the transaction, routing and
 * later the map, the radar and participation after commit. `case.created` of a report stored in
 * one statement is emitted on the plain handle once that statement succeeded, so it too reaches
 * subscribers only for a case that exists; such a report has no transaction for in-transaction
 * subscribers to join, so `case.created` has none.
 */
declare module '../../infra/events.ts' {
  interface DomainEvents {
    'case.created': CaseCreated;
    'case.changed': CaseChanged;
    'case.answered': CaseAnswered;
    'case.resolved': CaseResolved;
    /** `sourceId` was merged into `targetId` (in the merge's transaction). */
    'case.merged': { sourceId: number; targetId: number; at: Date };
  }
}

/** A change as the events carry it, from the row before and the fields that change. */
export function caseChanged(
  row: CaseFacts & { id: number },
  change: Partial<CaseFacts>,
  p: Pick<CaseChanged, 'actions' | 'actor' | 'at' | 'deadlinePolicy'>,
): CaseChanged {
  const before: CaseFacts = { status: row.status, teamId: row.teamId, type: row.type, priority: row.priority, categoryId: row.categoryId };
  const pick = <K extends keyof CaseFacts>(k: K): CaseFacts[K] => (change[k] !== undefined ? (change[k] as CaseFacts[K]) : before[k]);
  return {
    caseId: row.id,
    before,
    after: {
      status: pick('status'),
      teamId: pick('teamId'),
      type: pick('type'),
      priority: pick('priority'),
      categoryId: pick('categoryId'),
    },
    replied: p.actions.includes('replied'),
    ...p,
  };
}
