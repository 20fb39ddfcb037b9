import { createHash } from 'node:crypto';

/**
 * The fingerprint of a published official notice, the one definition the desk (when it publishes)
 * and the public check page both use: SHA-256, lower-case hex, of the UTF-8 bytes of
 * `title + "\n\n" + body + "\n\n" + publishedAt` with the publication time as ISO 8601 in UTC
 * (`Date.toISOString()`, e.g. 2026-03-02T09:30:00.000Z). Anyone can recompute it from the printed
 * notice; the text is hashed exactly as stored (no trimming, no normalisation beyond what the
 * input edge already did).
 */
export function noticeHash(p: { title: string; body: string; publishedAt: Date }): string {
  return createHash('sha256').update(noticeHashInput(p), 'utf8').digest('hex');
}

/** The exact text that is hashed, shown on the check page so the computation can be followed. */
export function noticeHashInput(p: { title: string; body: string; publishedAt: Date }): string {
  return `${p.title}\n\n${p.body}\n\n${p.publishedAt.toISOString()}`;
}
