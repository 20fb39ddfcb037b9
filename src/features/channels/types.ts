import type { Tx } from '../../infra/db.ts';
import type { ChannelAccountKind, ChannelName, ContactKind, Visibility } from '../../infra/schema/index.ts';

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
      /**
       * Social networks: who may see the answer. Default: the visibility of the citizen's last
       * message (a DM is answered by DM); staff may move a public conversation to a direct message.
       */
      visibility?: Visibility;
    },
  ): Promise<OutboundResult>;
}

/**
 * What a network allows in one item, so the composer and the publishing feature can check a text
 * before it leaves (and the adapter still checks again when it writes the outbox row).
 */
export interface ChannelCapabilities {
  /** The longest text of one item, counted as the network counts (`countsGraphemes`: Bluesky). */
  maxLength: number;
  countsGraphemes: boolean;
  /** Images per item; 0: none. */
  maxMedia: number;
  mediaTypes: readonly string[];
  /** Whether an image can carry a description (alt text); where it can, it is required. */
  altText: boolean;
  visibilities: readonly Visibility[];
  /** Answers can name the item they answer (in_reply_to, reply.parent). */
  threads: boolean;
  /** A published item can be edited / deleted on the network. */
  canEdit: boolean;
  canDelete: boolean;
}

/** An image to publish: already stored (metadata stripped), with its required description. */
export interface PublishMedia {
  storageKey: string;
  mimeType: string;
  alt: string;
}

/** One item the town publishes on one of its accounts (a post of the Amtsblatt, later more). */
export interface PublishRequest {
  accountId: number;
  text: string;
  media: PublishMedia[];
  visibility: Visibility;
  /** Mastodon's content warning (spoiler_text); ignored where the network has none. */
  contentWarning?: string | null;
  /** Same key, same outbox row: publishing twice (a retried job, a double click) posts once. */
  idempotencyKey: string;
}

/**
 * The publishing side of a social adapter. Like answers, everything goes through the one outbox:
 * `publish`, `edit` and `remove` write a row in the caller's transaction and return its id; the
 * transport of the account's kind sends it after commit and stores the network's id of the item
 * in the row's `externalRef` (a status id, an AT URI), which `edit` and `remove` take.
 */
export interface Publisher {
  kind: Exclude<ChannelAccountKind, 'email'>;
  /** Read from the network where it says (Mastodon's instance limits), else the documented defaults. */
  capabilities(tx: Tx, accountId: number): Promise<ChannelCapabilities>;
  publish(tx: Tx, req: PublishRequest): Promise<{ outboxId: number }>;
  /** `unsupported`: the network cannot edit (Bluesky): the caller says so and may delete and post anew. */
  edit(tx: Tx, req: PublishRequest & { externalRef: string }): Promise<{ outboxId: number } | { unsupported: true }>;
  remove(tx: Tx, req: { accountId: number; externalRef: string; idempotencyKey: string }): Promise<{ outboxId: number }>;
}

/** The publishers by account kind; the one place where each social adapter announces its publishing side. */
export type PublisherRegistry = ReadonlyMap<Publisher['kind'], Publisher>;
