import type { Tx } from '../../infra/db.ts';
import type { ChannelName, ContactKind } from '../../infra/schema/index.ts';

/** Who an answer goes to: a contact's address on one channel. `id` null: an address not (yet) kept as a contact. */
export interface ContactRef {
  id: number | null;
  kind: ContactKind;
  address: string;
  displayName: string | null;
  /** A bounce (or the network) said this address does not take messages. */
  undeliverable: boolean;
}

/** What an adapter knows about the case it answers for. Nothing more leaves the cases feature. */
export interface CaseForChannel {
  id: number;
  number: string;
  channel: ChannelName;
  /** The town account it came in on; answers leave from there. Null: the platform's own sender. */
  channelAccountId: number | null;
  reporterName: string | null;
  contact: ContactRef | null;
}

export interface OutboundResult {
  /** False when nothing was written to send (phone, fax, no address, a capped automatic answer): staff answer by hand. */
  delivered: boolean;
  /** For staff, German: how the answer travels, or what to do by hand. */
  note: string;
  /** The channel's own reference of what was sent (mail: "email:<Message-ID>"), stored on the message for threading. */
  threadKey?: string;
}

/**
 * One adapter per way back. Every outbound answer leaves through here, so a reply always goes back
 * the way the message came. Adapters write to the one outbox inside the caller's transaction; the
 * delivery job of the item's kind sends it after commit.
 */
export interface ChannelAdapter {
  name: string;
  /** `body`: a routing rule's own confirmation text, replacing the standard one (greeting, link and sign-off stay). */
  acknowledge(tx: Tx, c: CaseForChannel, ctx: { trackingUrl: string; body?: string }): Promise<OutboundResult>;
  /**
   * Whether `acknowledge` writes anything for such a case. When it says no, intake stores the report
   * in one statement without a transaction; an adapter without it is assumed to write.
   */
  writesAcknowledgement?(c: Pick<CaseForChannel, 'contact'>): boolean;
  reply(
    tx: Tx,
    c: CaseForChannel,
    /** `signature`: the team's own closing lines (team settings), used instead of the generic team line. */
    ctx: {
      body: string;
      trackingUrl: string | null;
      staffName: string;
      teamName: string | null;
      signature?: string | null;
      /** A notice the system sends on a person's action (the resolution notice to followers): marked Auto-Submitted. */
      automatic?: boolean;
      /** Same key, same item: an outbound item written twice (a job retried) is sent once. Default: every call is new. */
      idempotencyKey?: string;
      /** The subject line where the channel has one (mail); default: the channel's "Antwort auf Ihr Anliegen". */
      subject?: string;
    },
  ): Promise<OutboundResult>;
}
