import type { Visibility } from '../../../infra/schema/index.ts';
import { roughText } from '../email/html.ts';
import type { MastodonStatus, StatusVisibility } from './api.ts';

/**
 * A status's HTML as plain text for the case: markup and scripts dropped, entities decoded
 * (roughText, the same pass a mail's refused HTML takes), the mentions that open it removed (the
 * town and other thread members are addressed, not part of the message).
 */
export function statusText(status: Pick<MastodonStatus, 'content'>): string {
  return roughText(status.content)
    .replace(/^(\s*@[\w.-]+(@[\w.-]+)?)+\s*/u, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/** Mastodon's four visibilities in ours: `private` means followers only. */
export const visibilityOf = (v: StatusVisibility): Visibility => (v === 'private' ? 'followers' : v);
export const statusVisibilityOf = (v: Visibility): StatusVisibility => (v === 'followers' ? 'private' : v);

/** The citizen's address: `user@host`, also for accounts on the town's own server (acct is then `user`). */
export function addressOf(acct: string, instanceUrl: string): string {
  return (acct.includes('@') ? acct : `${acct}@${new URL(instanceUrl).host}`).toLowerCase();
}

const THANKS =
  /^(danke( ?schön| sehr| euch| ihnen)?|vielen (herzlichen )?dank|besten dank|merci|thx|thanks?( you)?|super|toll|klasse|prima|top|perfekt)[\s!.,:)]*$/iu;
const EMOJI = /\p{Extended_Pictographic}|\u200d|\ufe0f|[\u{1F3FB}-\u{1F3FF}]/gu;
const ONLY_SYMBOLS = /^(?:\p{Extended_Pictographic}|\u200d|\ufe0f|[\u{1F3FB}-\u{1F3FF}]|\p{P}|\s)*$/u;

/** A message that says only "Danke!" or a few emoji: it does not open a case of its own. */
export function isOnlyThanks(text: string): boolean {
  const t = text.trim();
  if (t.length > 60) return false;
  return ONLY_SYMBOLS.test(t) || THANKS.test(t.replace(EMOJI, '').trim());
}
