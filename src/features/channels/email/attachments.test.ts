import { deflateRawSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { composeMail, OWN } from '../../../../test/helpers/raw-mail.ts';
import { safeFilename, zipEntryNames } from './files.ts';
import { parseMail } from './parse.ts';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
const jpeg = () =>
  sharp({ create: { width: 8, height: 8, channels: 3, background: '#a44' } })
    .jpeg()
    .toBuffer();

/** A minimal Windows program: DOS header whose e_lfanew points at "PE\0\0". */
function peFile(): Buffer {
  const data = Buffer.alloc(256);
  data.write('MZ', 0, 'latin1');
  data.writeUInt32LE(0x80, 0x3c);
  data.write('PE\0\0', 0x80, 'latin1');
  return data;
}

/** A ZIP with the given file names (stored, central directory included), as Windows' "Send to ZIP" writes it. */
function zipOf(names: string[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const name of names) {
    const body = deflateRawSync(Buffer.from('x'));
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, Buffer.from(name), body);
    centrals.push(central, Buffer.from(name));
    offset += 30 + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(names.length, 8);
  end.writeUInt16LE(names.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe('attachments', () => {
  it('takes a mail with only a PDF, recognised by its bytes', async () => {
    const mail = await parseMail(
      await composeMail({
        subject: 'Antrag',
        attachments: [{ filename: 'antrag.pdf', content: PDF, contentType: 'application/octet-stream' }],
      }),
      OWN,
    );
    expect(mail.attachments).toEqual([
      { filename: 'antrag.pdf', contentType: 'application/pdf', size: PDF.length, content: PDF, inline: false, kind: 'pdf' },
    ]);
    expect(mail.text).toBe('');
    expect(mail.unassigned).toBeNull();
    expect(mail.problems).toEqual([]);
  });

  it('refuses an .exe with a note', async () => {
    const mail = await parseMail(
      await composeMail({ text: 'Rechnung anbei', attachments: [{ filename: 'rechnung.exe', content: peFile() }] }),
      OWN,
    );
    expect(mail.attachments).toEqual([]);
    expect(mail.problems).toEqual([
      'Anhang „rechnung.exe“ wurde nicht übernommen: Programme, Skripte und Dateien mit Makros nehmen wir aus Sicherheitsgründen nicht an.',
    ]);
  });

  it('refuses a program named "foto.jpg" and declared image/jpeg by its MZ/PE header', async () => {
    const mail = await parseMail(
      await composeMail({ text: 'Foto', attachments: [{ filename: 'foto.jpg', content: peFile(), contentType: 'image/jpeg' }] }),
      OWN,
    );
    expect(mail.attachments).toEqual([]);
    expect(mail.problems[0]).toMatch(/^Anhang „foto\.jpg“ wurde nicht übernommen: Programme/);
  });

  it.each([
    'skript.js',
    'start.bat',
    'tool.ps1',
    'install.msi',
    'app.apk',
    'verknuepfung.lnk',
    'disk.iso',
    'makro.docm',
    'liste.xlsm',
    'x.exe.',
    'rechnung.pdf.scr',
  ])('refuses %s by its name', async (filename) => {
    const mail = await parseMail(await composeMail({ text: 'x', attachments: [{ filename, content: Buffer.from('harmlos') }] }), OWN);
    expect(mail.attachments).toEqual([]);
    expect(mail.problems).toHaveLength(1);
  });

  it('refuses a ZIP holding a program or macros, keeps a ZIP of photos as a document', async () => {
    expect(zipEntryNames(zipOf(['a.jpg', 'ordner/b.pdf']))).toEqual(['a.jpg', 'ordner/b.pdf']);
    const bad = await parseMail(
      await composeMail({ text: 'x', attachments: [{ filename: 'fotos.zip', content: zipOf(['a.jpg', 'tool/setup.exe']) }] }),
      OWN,
    );
    expect(bad.attachments).toEqual([]);
    const macro = await parseMail(
      await composeMail({
        text: 'x',
        attachments: [{ filename: 'antrag.docx', content: zipOf(['[Content_Types].xml', 'word/vbaProject.bin']) }],
      }),
      OWN,
    );
    expect(macro.attachments).toEqual([]);
    const fine = await parseMail(
      await composeMail({ text: 'x', attachments: [{ filename: 'fotos.zip', content: zipOf(['a.jpg', 'b.jpg']) }] }),
      OWN,
    );
    expect(fine.attachments).toMatchObject([{ filename: 'fotos.zip', kind: 'document', contentType: 'application/zip' }]);
  });

  it('sorts a JPEG declared as octet-stream into images and an inline cid image as inline', async () => {
    const photo = await jpeg();
    const mail = await parseMail(
      await composeMail({
        html: '<p>Logo: <img src="cid:logo@example.org"></p>',
        attachments: [
          { filename: 'logo.jpg', content: photo, cid: 'logo@example.org' },
          { filename: 'schaden', content: photo, contentType: 'application/octet-stream' },
          { filename: 'notiz.txt', content: 'Bitte schnell', contentType: 'text/plain' },
        ],
      }),
      OWN,
    );
    expect(mail.attachments.map(({ filename, contentType, inline, kind }) => ({ filename, contentType, inline, kind }))).toEqual([
      { filename: 'logo.jpg', contentType: 'image/jpeg', inline: true, kind: 'image' },
      { filename: 'schaden', contentType: 'image/jpeg', inline: false, kind: 'image' },
      { filename: 'notiz.txt', contentType: 'text/plain', inline: false, kind: 'document' },
    ]);
  });

  it('leaves out files over the size limit and over the total, each with a note', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(3000, 0x20)]);
    const mail = await parseMail(
      await composeMail({
        text: 'x',
        attachments: [
          { filename: 'a.pdf', content: big },
          { filename: 'riesig.pdf', content: Buffer.concat([big, big]) },
          { filename: 'b.pdf', content: big },
        ],
      }),
      { ...OWN, maxAttachmentBytes: 5000, maxTotalBytes: 5000 },
    );
    expect(mail.attachments.map((a) => a.filename)).toEqual(['a.pdf']);
    expect(mail.problems).toEqual([
      'Anhang „riesig.pdf“ wurde nicht übernommen: Die Datei ist größer als 5 KB.',
      'Anhang „b.pdf“ wurde nicht übernommen: Alle Anhänge zusammen dürfen höchstens 5 KB groß sein.',
    ]);
  });

  it('cleans file names: no path, no control or bidi characters, a fallback name', () => {
    expect(safeFilename('../../etc/passwd', 0)).toBe('passwd');
    expect(safeFilename('C:\\Users\\x\\bild.jpg', 0)).toBe('bild.jpg');
    expect(safeFilename('foto\u202Egpj.exe', 0)).toBe('fotogpj.exe');
    expect(safeFilename('a\r\nb\u0000.pdf', 0)).toBe('a b.pdf');
    expect(safeFilename(undefined, 0)).toBe('anhang-1.bin');
    expect(safeFilename('...', 2)).toBe('anhang-3.bin');
    expect(safeFilename(`${'x'.repeat(300)}.pdf`, 0)).toMatch(/^x{146}\.pdf$/);
  });
});
