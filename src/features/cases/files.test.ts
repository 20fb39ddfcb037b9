import { describe, expect, it } from 'vitest';
import { attachmentDisposition, downloadType, fileTypeLabel, formatBytes } from './files.ts';

describe('file helpers of the case page', () => {
  it.each([
    [0, '0 Byte'],
    [512, '512 Byte'],
    [1024, '1 KB'],
    [12_800, '12,5 KB'],
    [3_355_443, '3,2 MB'],
  ])('formats %i bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('names types in German, else by the extension', () => {
    expect(fileTypeLabel('application/pdf', 'a.pdf')).toBe('PDF-Dokument');
    expect(fileTypeLabel('application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'a.docx')).toBe('Word-Dokument');
    expect(fileTypeLabel('application/vnd.oasis.opendocument.spreadsheet', 'a.ods')).toBe('OpenDocument-Tabelle');
    expect(fileTypeLabel('application/octet-stream', 'plan.dwg')).toBe('DWG-Datei');
    expect(fileTypeLabel('application/octet-stream', null)).toBe('Datei');
  });

  it('never hands out a type a browser would run as a page', () => {
    for (const t of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/xml', 'application/javascript', 'TEXT/HTML']) {
      expect(downloadType(t)).toBe('application/octet-stream');
    }
    expect(downloadType('application/pdf')).toBe('application/pdf');
    expect(downloadType('text/plain')).toBe('text/plain; charset=utf-8');
  });

  it('writes an ASCII fallback and the UTF-8 name (RFC 5987), without quotes or path parts', () => {
    expect(attachmentDisposition('Grundriss Müßig (Entwurf).pdf', 'datei')).toBe(
      `attachment; filename="Grundriss Mussig (Entwurf).pdf"; filename*=UTF-8''Grundriss%20M%C3%BC%C3%9Fig%20%28Entwurf%29.pdf`,
    );
    expect(attachmentDisposition('..\\x/"böse"\r\n.pdf', 'datei')).toBe(
      `attachment; filename="_bose_.pdf"; filename*=UTF-8''%22b%C3%B6se%22.pdf`,
    );
    expect(attachmentDisposition(null, 'anhang-7')).toBe(`attachment; filename="anhang-7"; filename*=UTF-8''anhang-7`);
  });
});
