/**
 * How staff see and download the files a case holds (PDFs and office documents of mails). The name
 * and the declared type are the sender's word, so the download never lets a browser render them.
 */

const typeLabels: [RegExp, string][] = [
  [/^application\/pdf$/, 'PDF-Dokument'],
  [/^application\/(msword|vnd\.openxmlformats-officedocument\.wordprocessingml\.)/, 'Word-Dokument'],
  [/^application\/(vnd\.ms-excel|vnd\.openxmlformats-officedocument\.spreadsheetml\.)/, 'Excel-Tabelle'],
  [/^application\/(vnd\.ms-powerpoint|vnd\.openxmlformats-officedocument\.presentationml\.)/, 'PowerPoint-Präsentation'],
  [/^application\/vnd\.oasis\.opendocument\.text/, 'OpenDocument-Text'],
  [/^application\/vnd\.oasis\.opendocument\.spreadsheet/, 'OpenDocument-Tabelle'],
  [/^application\/vnd\.oasis\.opendocument\.presentation/, 'OpenDocument-Präsentation'],
  [/^(application|text)\/rtf$/, 'RTF-Dokument'],
  [/^text\/plain$/, 'Textdatei'],
  [/^text\/csv$/, 'CSV-Tabelle'],
  [/^application\/(zip|x-zip-compressed)$/, 'ZIP-Archiv'],
  [/^image\//, 'Bild'],
  [/^audio\//, 'Tonaufnahme'],
  [/^video\//, 'Video'],
];

/** "PDF-Dokument", "Word-Dokument" …; else the extension ("XML-Datei"), else "Datei". */
export function fileTypeLabel(mimeType: string, filename: string | null): string {
  const known = typeLabels.find(([rx]) => rx.test(mimeType.toLowerCase()));
  if (known) return known[1];
  const ext = /\.([a-z0-9]{1,8})$/i.exec(filename ?? '')?.[1];
  return ext ? `${ext.toUpperCase()}-Datei` : 'Datei';
}

const decimal = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 1 });

/** "512 Byte", "12,5 KB", "3,2 MB" (1 KB = 1024 Byte, as file managers count). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes.toLocaleString('de-DE')} Byte`;
  if (bytes < 1024 * 1024) return `${decimal.format(bytes / 1024)} KB`;
  return `${decimal.format(bytes / 1024 / 1024)} MB`;
}

/**
 * Types a browser shows or hands to an office program, but never runs as a page. Everything else
 * (HTML, SVG, XML, scripts, unknown) goes out as application/octet-stream.
 */
const SAFE_TYPES =
  /^(application\/(pdf|msword|rtf|zip|vnd\.ms-(excel|powerpoint)|vnd\.openxmlformats-officedocument\.[a-z.]+|vnd\.oasis\.opendocument\.[a-z.-]+)|text\/(plain|csv)|image\/(jpeg|png|gif|webp|heic|tiff)|audio\/[a-z0-9.+-]+|video\/[a-z0-9.+-]+)$/;

export function downloadType(mimeType: string): string {
  const type = mimeType.toLowerCase().trim();
  if (!SAFE_TYPES.test(type)) return 'application/octet-stream';
  // Text without a declared charset would be guessed by the browser; mails are decoded to UTF-8.
  return type.startsWith('text/') ? `${type}; charset=utf-8` : type;
}

/**
 * `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266 with RFC 5987): old clients read the
 * ASCII fallback, every current browser the UTF-8 name with its umlauts. Quotes, backslashes,
 * path parts and control characters never reach the header.
 */
export function attachmentDisposition(filename: string | null, fallback: string): string {
  const name =
    (filename ?? '')
      .normalize('NFC')
      .replace(/[\p{Cc}\p{Cf}]/gu, '')
      .split(/[/\\]/)
      .pop()
      ?.trim() || fallback;
  const ascii =
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/ß/g, 'ss')
      .replace(/[^\x20-\x7e]|["\\%;]/g, '_') || fallback;
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
