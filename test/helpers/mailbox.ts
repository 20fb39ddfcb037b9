import { ImapFlow } from 'imapflow';
import type { Dovecot } from './dovecot.ts';

/** A second IMAP client for a test: it puts mail into the box and looks at flags and folders, as a mail program would. */
export async function mailboxClient(server: Dovecot): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: server.host,
    port: server.port,
    secure: false,
    // The test's own client: a Dovecot with TLS would otherwise want its throwaway certificate trusted.
    doSTARTTLS: false,
    auth: { user: server.user, pass: server.password },
    logger: false,
    disableAutoIdle: true,
  });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** A small RFC 822 message with its own Message-ID. */
export function testMail(n: number, extra = ''): Buffer {
  return Buffer.from(
    [
      'From: Erika Mustermann <erika@example.org>',
      'To: buergerservice@musterstadt.example',
      `Subject: Anliegen ${n}`,
      `Message-ID: <anliegen-${n}-${extra || 'x'}@example.org>`,
      'Date: Tue, 01 Dec 2026 10:00:00 +0100',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Die Straßenlaterne Nummer ${n} ist kaputt. ${extra}`,
      '',
    ].join('\r\n'),
  );
}

export async function appendMails(client: ImapFlow, mailbox: string, from: number, to: number, extra = ''): Promise<void> {
  for (let n = from; n <= to; n++) await client.append(mailbox, testMail(n, extra));
}

/** UIDs in the mailbox, and which of them are marked read. */
export async function boxState(client: ImapFlow, mailbox: string): Promise<{ uids: number[]; seen: number[] }> {
  const lock = await client.getMailboxLock(mailbox);
  try {
    await client.noop(); // the mailbox may have been open already: learn of messages added since
    const messages = (client.mailbox && client.mailbox.exists > 0 ? await client.fetchAll('1:*', { uid: true, flags: true }) : []).filter(
      (m) => m.uid !== undefined,
    );
    return {
      uids: messages.map((m) => m.uid).sort((a, b) => a - b),
      seen: messages
        .filter((m) => m.flags?.has('\\Seen'))
        .map((m) => m.uid)
        .sort((a, b) => a - b),
    };
  } finally {
    lock.release();
  }
}
