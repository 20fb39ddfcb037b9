import type { Attachment } from 'mailparser';
import { detectPhotoType } from '../../intake/photos.ts';
import { hasDangerousExtension, looksExecutable, looksLikePdf, safeFilename, zipHidesDanger } from './files.ts';

/**
 * Which files of a mail we keep. Programs, scripts, disk images and macro documents never reach
 * staff (one click on them is all an attacker needs); too large files would fill the disk. Each
 * file left out gets a note, so staff can ask the citizen for another way.
 */

export interface ParsedAttachment {
  /** Sanitised (no path parts, no control characters); "anhang-1.bin" when the mail named none. */
  filename: string;
  /** As detected from the bytes for images and PDF; else the declared type. */
  contentType: string;
  size: number;
  content: Buffer;
  /** An image the HTML shows by `cid:` (a logo, a pasted screenshot), not a file the citizen attached. */
  inline: boolean;
  /** image = a photo type intake accepts (goes to the photo pipeline), pdf, document = anything else harmless. */
  kind: 'image' | 'pdf' | 'document';
}

export interface AttachmentLimits {
  maxAttachmentBytes: number;
  maxTotalBytes: number;
}

export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = { maxAttachmentBytes: 10 * 1024 * 1024, maxTotalBytes: 25 * 1024 * 1024 };

const megabytes = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toLocaleString('de-DE', { maximumFractionDigits: 1 })} MB`
    : `${Math.ceil(bytes / 1024).toLocaleString('de-DE')} KB`;

export function keptAttachments(
  parts: Attachment[],
  html: string | null,
  limits: AttachmentLimits,
): { attachments: ParsedAttachment[]; problems: string[] } {
  const attachments: ParsedAttachment[] = [];
  const problems: string[] = [];
  let total = 0;
  for (const [index, part] of parts.entries()) {
    const filename = safeFilename(part.filename, index);
    const content = part.content;
    const refuse = (why: string) => problems.push(`Anhang „${filename}“ wurde nicht übernommen: ${why}`);
    if (content.length === 0) {
      refuse('Die Datei ist leer.');
      continue;
    }
    if (hasDangerousExtension(filename) || looksExecutable(content) || zipHidesDanger(content)) {
      refuse('Programme, Skripte und Dateien mit Makros nehmen wir aus Sicherheitsgründen nicht an.');
      continue;
    }
    if (content.length > limits.maxAttachmentBytes) {
      refuse(`Die Datei ist größer als ${megabytes(limits.maxAttachmentBytes)}.`);
      continue;
    }
    if (total + content.length > limits.maxTotalBytes) {
      refuse(`Alle Anhänge zusammen dürfen höchstens ${megabytes(limits.maxTotalBytes)} groß sein.`);
      continue;
    }
    total += content.length;
    const photo = detectPhotoType(content);
    const pdf = !photo && looksLikePdf(content);
    attachments.push({
      filename,
      contentType: photo ?? (pdf ? 'application/pdf' : declaredType(part.contentType)),
      size: content.length,
      content,
      inline: Boolean(photo && part.cid && html?.includes(`cid:${part.cid}`)),
      kind: photo ? 'image' : pdf ? 'pdf' : 'document',
    });
  }
  return { attachments, problems };
}

/** The declared type, when it looks like a type at all: it is shown and sent back as a header later. */
function declaredType(value: string | undefined): string {
  const type = (value ?? '').trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(type) ? type : 'application/octet-stream';
}
