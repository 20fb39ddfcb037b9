/** The German sentences of the live notices (live-updates.ts), apart so they can be tested without a browser. */
export interface LiveEvent {
  number: string;
  by: string;
  actor: 'staff' | 'citizen' | 'automatic';
  self: boolean;
  created: boolean;
}

/** The case page's sentence: who changed it, in German that reads well for people and automatic steps alike. */
export function caseNotice(event: LiveEvent): string {
  if (event.self) return 'Dieses Anliegen wurde gerade von Ihnen in einem anderen Fenster geändert.';
  if (event.actor === 'citizen') return 'Dieses Anliegen wurde gerade von der Bürgerin oder dem Bürger geändert.';
  if (event.actor === 'automatic') return `Dieses Anliegen wurde gerade automatisch geändert (${event.by}).`;
  return `Dieses Anliegen wurde gerade von ${event.by} geändert.`;
}

/** The inbox's sentence for what it could not show in place: `n` cases, `created` of them new. */
export function inboxNotice(n: number, created: number): string {
  if (created === n) return n === 1 ? '1 neues Anliegen.' : `${n} neue Anliegen.`;
  return n === 1 ? '1 neues oder geändertes Anliegen.' : `${n} neue oder geänderte Anliegen.`;
}

/** Said (politely) when a new case was put on top of the list. */
export const insertedNotice = (number: string) => `Neues Anliegen ${number} oben in der Liste eingefügt.`;
