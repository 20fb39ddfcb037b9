import { findPersonalData } from '../../../infra/masking/mask.ts';
import type { PostTargetKind } from '../../../infra/schema/index.ts';

/** The length limit of each target, in graphemes; null: unlimited. Mastodon's comes from the instance when known. */
export const TARGET_LIMITS: Record<PostTargetKind, number | null> = {
  website: null,
  newsletter: null,
  mastodon: 500,
  fediverse: 500,
  bluesky: 300,
  telegram: 4096,
};

export const TARGET_NAMES: Record<PostTargetKind, string> = {
  website: 'Website',
  newsletter: 'Newsletter',
  mastodon: 'Mastodon',
  fediverse: 'Fediverse',
  bluesky: 'Bluesky',
  telegram: 'Telegram',
};

export interface CheckablePost {
  title: string;
  body: string;
  images: readonly { alt: string | null }[];
}

export interface CheckableTarget {
  target: PostTargetKind;
  text: string;
  /** Overrides the default (the Mastodon instance's own limit). */
  limit?: number | null;
}

export type CheckCode = 'too-long' | 'alt-missing' | 'hashtag-case' | 'personal-data' | 'dead-link';

export interface CheckIssue {
  code: CheckCode;
  target?: PostTargetKind;
  message: string;
}

const graphemes = new Intl.Segmenter('de', { granularity: 'grapheme' });
export const graphemeCount = (s: string) => [...graphemes.segment(s)].length;

/** A hashtag of more than one word must show its words by capitals (#Weihnachtsmarkt is one word, #StadtratLive two). */
const HASHTAG = /(?<![\p{L}\p{N}_])#([\p{L}\p{N}_]{2,})/gu;
const LOOKS_COMPOUND = /^[\p{Ll}\p{N}_]+$/u;

function hashtagIssues(text: string): string[] {
  const out: string[] = [];
  for (const [, tag] of text.matchAll(HASHTAG)) {
    // All lower case and long: screen readers read it as one unknown word. Short ones (#kultur) are fine.
    if (tag && LOOKS_COMPOUND.test(tag) && tag.length > 10) out.push(tag);
  }
  return out;
}

const PERSONAL_KINDS: Record<string, string> = {
  email: 'eine E-Mail-Adresse',
  phone: 'eine Telefonnummer',
  iban: 'eine IBAN',
  plate: 'ein Kfz-Kennzeichen',
  house_number: 'eine Hausnummer',
  name: 'einen Namen',
};

/**
 * Everything to look at before a post is approved, as one list of German messages: each target's
 * length, images without alt text, lower-case compound hashtags and personal data (the masking
 * filter of the transparency feature; links are the point of a post and not reported). Dead links
 * come from the link check job's stored results (`deadLinks`).
 */
export function checkPost(post: CheckablePost, targets: readonly CheckableTarget[], deadLinks: readonly string[] = []): CheckIssue[] {
  const issues: CheckIssue[] = [];
  for (const t of targets) {
    const limit = t.limit === undefined ? TARGET_LIMITS[t.target] : t.limit;
    const length = graphemeCount(t.text);
    if (limit !== null && length > limit) {
      issues.push({
        code: 'too-long',
        target: t.target,
        message: `${TARGET_NAMES[t.target]}: ${length} Zeichen, erlaubt sind ${limit}. Bitte kürzen Sie um ${length - limit} Zeichen.`,
      });
    }
  }
  post.images.forEach((img, i) => {
    if (!img.alt?.trim()) {
      issues.push({ code: 'alt-missing', message: `Bild ${i + 1} hat keinen Alternativtext. Beschreiben Sie, was darauf zu sehen ist.` });
    }
  });
  const texts = [post.title, post.body, ...targets.map((t) => t.text)];
  const tags = new Set(texts.flatMap(hashtagIssues));
  for (const tag of tags) {
    issues.push({
      code: 'hashtag-case',
      message: `#${tag}: Schreiben Sie Hashtags in Binnenmajuskeln (z. B. #TagDerOffenenTür), damit Screenreader die Wörter erkennen.`,
    });
  }
  const kinds = new Set(
    texts.flatMap((t) => findPersonalData(t).map((m) => m.kind)).filter((k) => k !== 'url' && Object.hasOwn(PERSONAL_KINDS, k)),
  );
  for (const kind of kinds) {
    issues.push({
      code: 'personal-data',
      message: `Der Text enthält vielleicht ${PERSONAL_KINDS[kind]}. Bitte prüfen Sie, ob das öffentlich sein darf.`,
    });
  }
  for (const url of deadLinks) {
    issues.push({ code: 'dead-link', message: `Der Link ${url} ist nicht erreichbar. Bitte prüfen Sie ihn.` });
  }
  return issues;
}

/** The http(s) links of a text (Markdown or plain), without trailing punctuation. */
export function linksOf(text: string): string[] {
  const found = text.match(/https?:\/\/[^\s<>"')\]]+/g) ?? [];
  return [...new Set(found.map((u) => u.replace(/[.,;:!?]+$/, '')))];
}
