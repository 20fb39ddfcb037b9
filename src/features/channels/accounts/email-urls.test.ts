import { describe, expect, it } from 'vitest';
import { makeTestCertificates } from '../../../../test/helpers/tls.ts';
import { emailAccountFields } from './email-settings.ts';
import { imapFieldsFromUrl, smtpFieldsFromUrl } from './email-urls.ts';

describe('mailbox URLs: encrypted unless "none" is asked for by name', () => {
  it('reads imap:// and smtp:// as STARTTLS required, imaps:// and smtps:// as TLS', () => {
    expect(imapFieldsFromUrl('imap://u:p@mail.example/INBOX')).toMatchObject({ imapSecurity: 'starttls', imapPort: 143 });
    expect(imapFieldsFromUrl('imap://u:p@mail.example?starttls=true')).toMatchObject({ imapSecurity: 'starttls' });
    expect(imapFieldsFromUrl('imaps://u:p@mail.example')).toMatchObject({ imapSecurity: 'imaps', imapPort: 993 });
    expect(smtpFieldsFromUrl('smtp://mail.example')).toMatchObject({ smtpSecurity: 'starttls', smtpPort: 587 });
    expect(smtpFieldsFromUrl('smtps://mail.example')).toMatchObject({ smtpSecurity: 'smtps', smtpPort: 465 });
  });

  it('is unencrypted only with tls=none, and refuses contradictions in German', () => {
    expect(imapFieldsFromUrl('imap://u:p@10.0.0.5/INBOX?tls=none')).toMatchObject({ imapSecurity: 'plain', imapPort: 143 });
    expect(smtpFieldsFromUrl('smtp://10.0.0.5?tls=none')).toMatchObject({ smtpSecurity: 'plain', smtpPort: 25 });
    expect(() => imapFieldsFromUrl('imaps://u:p@h?tls=none')).toThrow(
      'IMAP: tls=none passt nur zu imap://, imaps:// ist immer verschlüsselt.',
    );
    expect(() => smtpFieldsFromUrl('smtp://h?tls=aus')).toThrow('SMTP: tls= kennt nur den Wert none (unverschlüsselt).');
    expect(() => smtpFieldsFromUrl('smtp://h?tls=none&starttls=true')).toThrow('SMTP: starttls und tls=none widersprechen sich.');
  });
});

describe('the town’s own certificate authority', () => {
  const base = {
    name: 'Bürgerservice',
    from: 'a@musterstadt.example',
    imapHost: 'h',
    imapPort: '993',
    imapSecurity: 'imaps',
    imapUser: 'u',
    smtpHost: 'h',
    smtpPort: '465',
    smtpSecurity: 'smtps',
  };
  const errorOf = (caCertificate: string) => emailAccountFields.safeParse({ ...base, caCertificate }).error?.issues[0]?.message;

  it('takes a PEM certificate and leaves an empty field empty', () => {
    const certs = makeTestCertificates();
    try {
      expect(emailAccountFields.parse({ ...base, caCertificate: `\n${certs.caPem}\n` }).caCertificate).toBe(certs.caPem.trim());
      expect(emailAccountFields.parse({ ...base, caCertificate: '' }).caCertificate).toBeNull();
    } finally {
      certs.remove();
    }
  });

  it('refuses what is no certificate, in German', () => {
    expect(errorOf('geheim')).toBe(
      'Bitte fügen Sie das Zertifikat der Zertifizierungsstelle im PEM-Format ein (beginnt mit -----BEGIN CERTIFICATE-----).',
    );
    expect(errorOf('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')).toBe(
      'Das Zertifikat lässt sich nicht lesen; bitte fügen Sie es vollständig ein.',
    );
  });
});
