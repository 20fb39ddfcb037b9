import { type CaseStatus, caseStatuses, type PublicStatus } from '../../../infra/schema/index.ts';

/**
 * The one mapping from a case's internal status to what the public (and the reporter's own
 * tracking page) sees. A case merged into another was closed as "weitergeleitet" internally, but to
 * the public it is a duplicate; "wartet auf Rückmeldung" means the town is still looking into it.
 */
export function publicStatusOf(status: CaseStatus, merged: boolean): PublicStatus {
  switch (status) {
    case 'new':
      return 'new';
    case 'waiting':
      return 'reviewing';
    case 'in_progress':
      return 'in_progress';
    case 'resolved':
      return 'resolved';
    case 'rejected':
      return 'rejected';
    case 'forwarded':
      return merged ? 'duplicate' : 'not_responsible';
  }
}

/** One step of the audit trail, as far as the public status cares. */
export interface StatusStep {
  action: string;
  details: unknown;
  createdAt: Date;
}

const detailsOf = (d: unknown): Record<string, unknown> => (d && typeof d === 'object' ? (d as Record<string, unknown>) : {});
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim().length > 0 ? v.trim() : null);

/** A status step written by a merge (older ones say so only in their reason). */
export function isMergeStep(step: StatusStep): boolean {
  const d = detailsOf(step.details);
  return step.action === 'merged_into' || d.merged === true || (typeof d.reason === 'string' && d.reason.startsWith('Zusammengeführt mit'));
}

/**
 * The public words that go with the current status, from the steps (oldest first) as staff wrote
 * them, still unmasked: where a "weitergeleitet" case went (the note of the forwarding step), why it
 * was rejected, or the "Öffentlicher Hinweis" staff set since the last status change (a new status
 * starts without one).
 */
export function statusWords(status: CaseStatus, steps: readonly StatusStep[]): { forwardedTo: string | null; note: string | null } {
  let lastChange = -1;
  for (let i = steps.length - 1; i >= 0; i--) {
    if (steps[i]?.action === 'status_changed') {
      lastChange = i;
      break;
    }
  }
  const changeNote = lastChange >= 0 ? text(detailsOf(steps[lastChange]?.details).note) : null;
  let note = status === 'rejected' ? changeNote : null;
  for (const step of steps.slice(lastChange + 1)) {
    if (step.action === 'public_note') note = text(detailsOf(step.details).note);
  }
  return { forwardedTo: status === 'forwarded' ? changeNote : null, note };
}

export interface PublicStep {
  status: PublicStatus;
  /** The forwarding destination or public note of this step, masked; null for a plain step. */
  text: string | null;
  createdAt: Date;
}

/**
 * The public history of a case from its audit trail: "neu" when it came in, one step per change
 * of the public status, and each public note. The public projection and the reporter's own
 * tracking page both show exactly these steps.
 */
export function publicSteps(reportedAt: Date, steps: readonly StatusStep[], mask: (text: string | null) => string | null): PublicStep[] {
  const history: PublicStep[] = [{ status: 'new', text: null, createdAt: reportedAt }];
  let current: PublicStatus = 'new';
  for (const [i, step] of steps.entries()) {
    const d = detailsOf(step.details);
    if (step.action === 'status_changed' && isCaseStatus(d.to)) {
      const merge = isMergeStep(step) || steps[i + 1]?.action === 'merged_into';
      const next = publicStatusOf(d.to, merge);
      const words = statusWords(d.to, steps.slice(0, i + 1));
      const note = mask(next === 'not_responsible' ? words.forwardedTo : words.note);
      if (next !== current || note) history.push({ status: next, text: note, createdAt: step.createdAt });
      current = next;
    } else if (step.action === 'public_note') {
      const note = mask(text(d.note));
      if (note) history.push({ status: current, text: note, createdAt: step.createdAt });
    }
  }
  return history;
}

const isCaseStatus = (v: unknown): v is CaseStatus => typeof v === 'string' && (caseStatuses as readonly string[]).includes(v);
