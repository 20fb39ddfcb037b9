import { describe, expect, it } from 'vitest';
import { OWN, rawMail } from '../../../../test/helpers/raw-mail.ts';
import { parseMail } from './parse.ts';

/** The shape Postfix 3 writes: notification, message/delivery-status, returned headers. */
const postfixDsn = rawMail(`Return-Path: <>
Received: by mail.musterstadt.de (Postfix) id 3F2A1C0123; Tue,  1 Dec 2026 10:00:05 +0100 (CET)
Date: Tue,  1 Dec 2026 10:00:05 +0100 (CET)
From: MAILER-DAEMON@mail.musterstadt.de (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: buergerservice@musterstadt.de
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="3F2A1C0123.1764579605/mail.musterstadt.de"
Content-Transfer-Encoding: 8bit
Message-Id: <20261201090005.3F2A1C0123@mail.musterstadt.de>

This is a MIME-encapsulated message.

--3F2A1C0123.1764579605/mail.musterstadt.de
Content-Description: Notification
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

This is the mail system at host mail.musterstadt.de.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

                   The mail system

<erika@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
    <erika@example.org>: Recipient address rejected: User unknown in virtual
    mailbox table (in reply to RCPT TO command)

--3F2A1C0123.1764579605/mail.musterstadt.de
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.musterstadt.de
X-Postfix-Queue-ID: 3F2A1C0123
X-Postfix-Sender: rfc822; buergerservice@musterstadt.de
Arrival-Date: Tue,  1 Dec 2026 10:00:04 +0100 (CET)

Final-Recipient: rfc822; erika@example.org
Original-Recipient: rfc822;Erika@Example.org
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 550 5.1.1 <erika@example.org>: Recipient address rejected:
    User unknown in virtual mailbox table

Final-Recipient: rfc822; max@example.org
Action: delivered
Status: 2.0.0

--3F2A1C0123.1764579605/mail.musterstadt.de
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers
Content-Transfer-Encoding: 8bit

Return-Path: <buergerservice@musterstadt.de>
From: Stadt Musterstadt <buergerservice@musterstadt.de>
To: erika@example.org
Subject: [2026-00042] Ihre Meldung
Message-ID:
 <anliegen-2026-00042.q1w2e3@musterstadt.de>
Date: Tue, 01 Dec 2026 09:59:00 +0100

--3F2A1C0123.1764579605/mail.musterstadt.de--
`);

/** Exim's prose bounce with the returned copy below, and the German subject Exchange uses. */
const proseBounce = rawMail(`From: Mail Delivery System <Mailer-Daemon@mx.example.org>
To: buergerservice@musterstadt.de
Subject: Unzustellbar: [2026-00042] Ihre Meldung
Message-Id: <E1kX-0001@mx.example.org>
Date: Tue, 01 Dec 2026 10:00:05 +0100
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Diese Nachricht wurde automatisch vom Mailsystem erzeugt.

Ihre Nachricht konnte an einen oder mehrere Empfänger nicht zugestellt
werden. Dies ist ein dauerhafter Fehler. Folgende Adressen sind betroffen:

  max.muster@example.net
    host mx.example.net [198.51.100.7]
    SMTP error from remote mail server after RCPT TO:<max.muster@example.net>:
    550 5.1.1 Mailbox unavailable

------ This is a copy of the message, including all the headers. ------

Return-path: <buergerservice@musterstadt.de>
From: Stadt Musterstadt <buergerservice@musterstadt.de>
To: max.muster@example.net
Subject: [2026-00042] Ihre Meldung
Message-ID: <anliegen-2026-00042.z9y8@musterstadt.de>

Ihre Meldung ist eingegangen. Antworten an leitstelle@musterstadt.de.
`);

describe('bounces', () => {
  it('reads a Postfix DSN: failed recipients only, status, diagnostic and our Message-ID', async () => {
    const mail = await parseMail(postfixDsn, OWN);
    expect(mail.bounce).toEqual({
      recipients: ['erika@example.org'],
      status: '5.1.1',
      diagnostic: '550 5.1.1 <erika@example.org>: Recipient address rejected: User unknown in virtual mailbox table',
      originalMessageId: '<anliegen-2026-00042.q1w2e3@musterstadt.de>',
    });
    expect(mail.automated).toMatch(/Auto-Submitted/);
    expect(mail.attachments).toEqual([]);
    expect(mail.text).toContain('could not\nbe delivered');
  });

  it('reads an Exim/Exchange-style German prose bounce', async () => {
    const mail = await parseMail(proseBounce, OWN);
    expect(mail.bounce).toEqual({
      recipients: ['max.muster@example.net'],
      status: '5.1.1',
      diagnostic: '550 5.1.1 Mailbox unavailable',
      originalMessageId: '<anliegen-2026-00042.z9y8@musterstadt.de>',
    });
    expect(mail.automated).toMatch(/keine Antworten annimmt/);
  });

  it('finds our Message-ID in a returned message/rfc822 and keeps that copy out of the attachments', async () => {
    const raw = rawMail(`From: postmaster@example.net
Subject: Unzustellbar: Ihre Meldung
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain; charset=utf-8

Die Nachricht konnte nicht an folgende Empfänger zugestellt werden: anna@example.net

--b
Content-Type: message/rfc822
Content-Disposition: attachment

From: buergerservice@musterstadt.de
Message-ID: <anliegen-2026-00007.abc@musterstadt.de>
Subject: Ihre Meldung

Text
--b--
`);
    const mail = await parseMail(raw, OWN);
    expect(mail.bounce).toMatchObject({ recipients: ['anna@example.net'], originalMessageId: '<anliegen-2026-00007.abc@musterstadt.de>' });
    expect(mail.attachments).toEqual([]);
  });

  it('does not take a citizen mail about "Unzustellbarkeit" for a bounce', async () => {
    const raw = rawMail('From: erika@example.org\nSubject: Post ist unzustellbar gewesen\n\nMein Brief kam zurück.');
    expect((await parseMail(raw, OWN)).bounce).toBeNull();
  });
});
