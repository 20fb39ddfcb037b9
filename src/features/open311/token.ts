import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The token of GeoReport's "tokens/{token}": a case becomes public only after a publication
 * decision, so a client keeps the token and asks until the request is published. It names the case
 * number with an HMAC, so no table is needed and nobody can make up tokens; it opens nothing that
 * is not public anyway (tokens/{token} answers only for a published case).
 */
export function requestTokens(secret: string) {
  const mac = (number: string) => createHmac('sha256', `open311-token:${secret}`).update(number).digest('base64url').slice(0, 22);
  return {
    tokenOf: (number: string) => `${number}.${mac(number)}`,
    /** The case number a token names, or null when it is not one of ours. */
    numberOf(token: string): string | null {
      const dot = token.lastIndexOf('.');
      if (dot <= 0 || token.length > 100) return null;
      const number = token.slice(0, dot);
      const given = Buffer.from(token.slice(dot + 1));
      const expected = Buffer.from(mac(number));
      return given.length === expected.length && timingSafeEqual(given, expected) ? number : null;
    },
  };
}
