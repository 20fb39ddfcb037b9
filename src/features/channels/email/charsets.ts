import { Transform, type TransformCallback } from 'node:stream';
import type { IconvConstructor } from 'mailparser';

/**
 * Body decoding for mailparser's `Iconv` option. Without it an unknown charset is silently read as
 * UTF-8, which turns every umlaut of an 8-bit mail into U+FFFD and tells nobody. Here the WHATWG
 * decoders built into Node read every charset mail clients really send; for any other name the
 * bytes are read as UTF-8 when they are valid UTF-8, else as Windows-1252 (what "Western" clients
 * mostly mean), and the name is recorded so staff get a note.
 */
export function charsetDecoder(unknown: Set<string>): IconvConstructor {
  return class CharsetDecoder extends Transform {
    private readonly decoder: TextDecoder | null;
    private readonly pending: Buffer[] = [];

    constructor(charset: string) {
      super();
      this.decoder = knownDecoder(charset);
      if (!this.decoder) unknown.add(charset.slice(0, 40));
    }

    override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
      if (this.decoder) this.push(Buffer.from(this.decoder.decode(chunk, { stream: true }), 'utf8'));
      else this.pending.push(chunk);
      done();
    }

    override _flush(done: TransformCallback): void {
      if (this.decoder) this.push(Buffer.from(this.decoder.decode(), 'utf8'));
      else this.push(Buffer.from(guess(Buffer.concat(this.pending)), 'utf8'));
      done();
    }
  } as unknown as IconvConstructor;
}

function knownDecoder(charset: string): TextDecoder | null {
  const label = charset.trim().toLowerCase();
  // UTF-7 and the transfer-encoding names never reach here (mailparser refuses them itself).
  try {
    return new TextDecoder(ALIASES[label] ?? label);
  } catch {
    return null;
  }
}

/** Names mail software writes that the WHATWG list lacks. */
const ALIASES: Record<string, string> = {
  'ks_c_5601-1987': 'euc-kr',
  cp1252: 'windows-1252',
  cp1250: 'windows-1250',
  latin9: 'iso-8859-15',
};

function guess(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}
