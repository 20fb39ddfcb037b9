import { and, eq, inArray } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../../infra/db.ts';
import { channelAccounts, type PostTargetKind, postTargets } from '../../../infra/schema/index.ts';
import type { PublisherRegistry } from '../../channels/types.ts';
import { limitOf, type TargetLimit, targetLabels } from './limits.ts';
import { textLength } from './shorten.ts';

/** A place a post can go: the website, the newsletter, or one of the town's social accounts with a publisher. */
export interface TargetOption {
  /** Form key: `website`, `newsletter` or `<kind>-<accountId>`. */
  key: string;
  target: PostTargetKind;
  channelAccountId: number | null;
  label: string;
  limit: TargetLimit;
  canEdit: boolean;
}

export const targetKey = (target: PostTargetKind, accountId: number | null) => (accountId === null ? target : `${target}-${accountId}`);

/** Every target an editor may choose now, with its limit read from the publisher's capabilities. */
export async function targetOptions(db: Db, publishers: PublisherRegistry): Promise<TargetOption[]> {
  const own: TargetOption[] = (['website', 'newsletter'] as const).map((t) => ({
    key: t,
    target: t,
    channelAccountId: null,
    label: targetLabels[t],
    limit: limitOf(t),
    canEdit: true,
  }));
  const kinds = [...publishers.keys()];
  if (kinds.length === 0) return own;
  const accounts = await db
    .select({ id: channelAccounts.id, kind: channelAccounts.kind, name: channelAccounts.name })
    .from(channelAccounts)
    .where(and(eq(channelAccounts.enabled, true), inArray(channelAccounts.kind, kinds)))
    .orderBy(channelAccounts.kind, channelAccounts.id);
  const social: TargetOption[] = [];
  for (const a of accounts) {
    const publisher = publishers.get(a.kind as never);
    if (!publisher) continue;
    const caps = await db.transaction((tx) => publisher.capabilities(tx, a.id));
    const target = a.kind as PostTargetKind;
    social.push({
      key: targetKey(target, a.id),
      target,
      channelAccountId: a.id,
      label: `${targetLabels[target]}: ${a.name}`,
      limit: limitOf(target, caps),
      canEdit: caps.canEdit,
    });
  }
  return [...own, ...social];
}

/** A chosen target with its variant text, as the form sent it. */
export interface ChosenTarget {
  option: TargetOption;
  text: string;
}

/** Reads the chosen targets and their texts from a form body; the website is always chosen. */
export function chosenTargets(options: TargetOption[], body: Record<string, unknown>): ChosenTarget[] {
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
  return options
    .filter((o) => o.target === 'website' || str(`target_${o.key}`) === 'yes')
    .map((o) => ({ option: o, text: str(`text_${o.key}`).replace(/\r\n?/g, '\n').trim() }));
}

/** German messages for variants over their target's limit, by form field. */
export function variantErrors(chosen: ChosenTarget[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const { option, text } of chosen) {
    const max = option.limit.max;
    if (max === null) continue;
    const n = textLength(text, option.limit.countsGraphemes);
    if (n === 0) errors[`text_${option.key}`] = `Bitte schreiben Sie den Text für ${option.label} (oder nutzen Sie „kürzen“).`;
    else if (n > max)
      errors[`text_${option.key}`] =
        `Der Text für ${option.label} ist ${n.toLocaleString('de-DE')} Zeichen lang, erlaubt sind ${max.toLocaleString('de-DE')}.`;
  }
  return errors;
}

/** Replaces the targets of a post not yet published with the chosen ones. */
export async function saveTargets(tx: Tx, postId: number, chosen: ChosenTarget[]): Promise<void> {
  await tx.delete(postTargets).where(eq(postTargets.postId, postId));
  if (chosen.length === 0) return;
  await tx
    .insert(postTargets)
    .values(chosen.map(({ option, text }) => ({ postId, target: option.target, channelAccountId: option.channelAccountId, text })));
}

export async function targetsOf(db: DbOrTx, postId: number) {
  return db.select().from(postTargets).where(eq(postTargets.postId, postId)).orderBy(postTargets.id);
}
