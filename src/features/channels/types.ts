import type { Tx } from '../../infra/db.ts';
import type { ChannelName } from '../../infra/schema/index.ts';

/** What an adapter knows about the case it answers for. Nothing more leaves the cases feature. */
export interface CaseForChannel {
  id: number;
  number: string;
  channel: ChannelName;
  reporterName: string | null;
  reporterEmail: string | null;
}

export interface OutboundResult {
  /** False when the channel has no way back (phone, fax, walk-in) and staff must answer by hand. */
  delivered: boolean;
  /** For staff, German: how the answer travels, or what to do by hand. */
  note: string;
  /** Outbox rows written in the transaction; delivered by the mail job after commit. */
  outboxIds: number[];
  mailMessageId?: string;
}

/**
 * One adapter per channel. Every outbound answer leaves through here, so a reply always goes back
 * the way the message came. Adapters write to the outbox inside the caller's transaction; the
 * actual sending happens in jobs, after commit.
 */
export interface ChannelAdapter {
  name: ChannelName;
  /** `body`: a routing rule's own confirmation text, replacing the standard one (greeting, link and sign-off stay). */
  acknowledge(tx: Tx, c: CaseForChannel, ctx: { trackingUrl: string; body?: string }): Promise<OutboundResult>;
  /**
   * Whether `acknowledge` writes anything (an outbox mail) for such a case. When it says no, intake
   * stores the report in one statement without a transaction; an adapter without it is assumed to write.
   */
  writesAcknowledgement?(c: Pick<CaseForChannel, 'reporterEmail'>): boolean;
  reply(
    tx: Tx,
    c: CaseForChannel,
    /** `signature`: the team's own closing lines (team settings), used instead of the generic team line. */
    ctx: { body: string; trackingUrl: string | null; staffName: string; teamName: string | null; signature?: string | null },
  ): Promise<OutboundResult>;
}
