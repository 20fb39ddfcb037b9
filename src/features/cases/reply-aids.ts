import type { VNode } from 'preact';
import type { Db, DbOrTx } from '../../infra/db.ts';
import type { Viewer } from './access.ts';
import type { CaseDetail } from './queries.ts';

/**
 * What a feature adds to the reply form of the case page (the Textbausteine picker, say). The
 * feature registers it in its own plugin, so the case page asks whoever registered instead of
 * importing them.
 */
export interface ReplyAid {
  /** Shown above the reply box. */
  picker: VNode;
  /** Text for the reply box, chosen through the page's query (the no-JavaScript way). */
  text?: string;
  /** A German message about the query: the page answers 400 with it. */
  error?: string;
}

export interface ReplyAidRequest {
  db: DbOrTx;
  viewer: Viewer & { displayName: string };
  kase: CaseDetail;
  query: Record<string, unknown>;
  /** A submitted form comes back with what was typed: the query must not replace it. */
  formShown: boolean;
}

export type ReplyAidProvider = (request: ReplyAidRequest) => Promise<ReplyAid | null>;

/** Per database handle, like the event subscribers: two apps in one test process stay apart. */
const providers = new WeakMap<object, ReplyAidProvider[]>();

/** Registers a reply aid for the case pages of this handle; returns the unregister. */
export function registerReplyAid(db: Db, provider: ReplyAidProvider): () => void {
  const list = providers.get(db) ?? [];
  list.push(provider);
  providers.set(db, list);
  return () => {
    const at = list.indexOf(provider);
    if (at >= 0) list.splice(at, 1);
  };
}

/** The aids for one case page, in the order they were registered. */
export async function replyAidsFor(db: Db, request: ReplyAidRequest): Promise<ReplyAid[]> {
  const aids: ReplyAid[] = [];
  for (const provider of providers.get(db) ?? []) {
    const aid = await provider(request);
    if (aid) aids.push(aid);
  }
  return aids;
}
