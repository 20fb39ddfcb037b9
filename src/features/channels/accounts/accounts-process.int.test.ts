import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind } from '../../../../test/helpers/context.ts';
import { type Dovecot, dovecotAvailable, startDovecot } from '../../../../test/helpers/dovecot.ts';
import { amtsblatt } from '../../../../test/helpers/processes.ts';
import { startSmtpPeer } from '../../../../test/helpers/smtp-peer.ts';

const hasDovecot = dovecotAvailable();

/**
 * The command line as an operator types it (commander's options, exit codes). It runs on the
 * embedded database of a fresh data folder; the commands themselves are tested on both databases
 * in accounts-cli.int.test.ts.
 */
describe.skipIf(dbKind !== 'pglite' || !hasDovecot)('amtsblatt channel (real process) [pglite]', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'amtsblatt-channel-cli-'));
  const env = { DATA_DIR: dataDir };
  let imap: Dovecot;
  let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;

  beforeAll(async () => {
    [imap, smtp] = await Promise.all([
      startDovecot({ user: 'user', password: 'pa@ss/wort%' }),
      startSmtpPeer({ user: 'user', password: 'pass' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([imap?.stop(), smtp?.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds the example mailbox, lists it without passwords and tests it', { timeout: 120_000 }, async () => {
    const add = await amtsblatt(
      [
        'channel',
        'add',
        'email',
        '--name',
        'Bürgerservice',
        '--imap',
        `imap://user:${encodeURIComponent('pa@ss/wort%')}@127.0.0.1:${imap.port}/INBOX?tls=none`,
        '--smtp',
        `smtp://user:pass@127.0.0.1:${smtp.port}?tls=none`,
        '--from',
        'buergerservice@musterstadt.example',
      ],
      env,
    );
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    const list = await amtsblatt(['channel', 'list'], env);
    expect(list.stdout).toContain('Bürgerservice');
    expect(list.stdout).not.toContain('pa@ss');
    const test = await amtsblatt(['channel', 'test', 'Bürgerservice'], env);
    expect(test.stderr).toBe('');
    expect(test.code).toBe(0);
    expect(test.stdout).toContain('IMAP: Anmeldung erfolgreich');
    expect(test.stdout).toContain('SMTP: Anmeldung erfolgreich');
    const wrongUsage = await amtsblatt(['channel', 'add', 'email', '--nme', 'x'], env);
    expect(wrongUsage.code).toBe(2);
    const twice = await amtsblatt(
      ['channel', 'add', 'email', '--name', 'bürgerservice', '--imap', 'imaps://a:b@h', '--smtp', 'smtps://h', '--from', 'a@b.de'],
      env,
    );
    expect(twice.code).toBe(1);
  });
});
