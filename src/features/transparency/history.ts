import { maskPersonalData } from '../../infra/masking/mask.ts';
import { caseStatuses, caseTypes, channels } from '../../infra/schema/index.ts';
import { caseTypeLabels, channelLabels } from '../cases/labels.ts';
import { publicStatusLabels } from './projection/read.ts';
import { isMergeStep, publicStatusOf, statusWords } from './projection/status.ts';

export interface HistoryEvent {
  id: number;
  action: string;
  details: unknown;
  createdAt: Date;
}

export interface HistoryEntry {
  id: number;
  at: Date;
  title: string;
  detail: string | null;
}

const isOneOf = <T extends string>(list: readonly T[], v: unknown): v is T =>
  typeof v === 'string' && (list as readonly string[]).includes(v);
/** Routing stores a team id; staff edits store the name at the time of the change. Both are accepted. */
function nameOf(v: unknown, byId: Map<number, string>): string | null {
  if (typeof v === 'number') return byId.get(v) ?? null;
  return typeof v === 'string' && v.length > 0 ? v : null;
}

/**
 * Turns audit events into lines a citizen understands. Only teams are named, never staff members:
 * the citizen deals with "the Tiefbauamt", and staff keep their privacy. Internal reasons (routing
 * rules) are left out too; they are for staff.
 */
export function describeHistory(
  events: HistoryEvent[],
  names: { teams: Map<number, string>; categories: Map<number, string> },
  knownNames: readonly string[] = [],
): HistoryEntry[] {
  // Staff wrote these words for the public: masked here as on the public pages.
  const masked = (text: string) => maskPersonalData(text, { knownNames }).text;
  const entries: HistoryEntry[] = [];
  for (const [i, e] of events.entries()) {
    const d = (e.details && typeof e.details === 'object' ? e.details : {}) as Record<string, unknown>;
    const entry = (title: string, detail: string | null = null) => entries.push({ id: e.id, at: e.createdAt, title, detail });
    switch (e.action) {
      case 'created':
        entry('Anliegen eingegangen', isOneOf(channels, d.channel) ? `über ${channelLabels[d.channel]}` : null);
        break;
      case 'routed':
      case 'team_changed': {
        const team = nameOf(d.teamId ?? d.to, names.teams);
        entry(e.action === 'routed' ? 'Zugewiesen' : 'Weitergegeben', team ? `an ${team}` : 'zur Klärung');
        break;
      }
      case 'status_changed': {
        // The public words (in Prüfung, nicht zuständig, Duplikat …), the same as on public pages.
        if (!isOneOf(caseStatuses, d.to)) {
          entry('Status geändert');
          break;
        }
        const merged = isMergeStep(e) || events[i + 1]?.action === 'merged_into';
        const to = publicStatusOf(d.to, merged);
        const from = isOneOf(caseStatuses, d.from) ? publicStatusLabels[publicStatusOf(d.from, false)] : null;
        const words = statusWords(d.to, events.slice(0, i + 1));
        const said = to === 'not_responsible' ? words.forwardedTo : words.note;
        const move = from ? `von „${from}“ auf „${publicStatusLabels[to]}“` : `auf „${publicStatusLabels[to]}“`;
        entry('Status geändert', said ? `${move}: ${masked(said)}` : move);
        break;
      }
      case 'public_note':
        if (typeof d.note === 'string' && d.note.trim()) entry('Hinweis der Stadt', masked(d.note));
        break;
      case 'type_changed':
        entry('Art geändert', isOneOf(caseTypes, d.to) ? `auf „${caseTypeLabels[d.to]}“` : null);
        break;
      case 'category_changed': {
        const category = nameOf(d.to, names.categories);
        entry('Kategorie geändert', category ? `auf „${category}“` : null);
        break;
      }
    }
  }
  return entries;
}
