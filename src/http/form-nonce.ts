import { createHmac, createSecretKey, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** Length of the MAC at the end of a nonce: 16 bytes of HMAC-SHA-256 in base64url. */
const MAC_LENGTH = 22;

/**
 * A form nonce is the idempotency key of a public form (the report form, following a report, the
 * photo draft): `id + mac`, where the MAC binds the id to the browser's CSRF secret cookie. The
 * report created with a nonce answers every later post of that nonce with its thanks page and
 * tracking link, so a nonce that leaked (a shared computer's history, a screenshot of the page
 * source) must not open that link from another browser: only the browser it was issued to can
 * use it. The key is derived from the session secret, so nonces survive a restart.
 */
export function bindNonce(sessionSecret: string, clientSecret: string, id = randomBytes(16).toString('base64url')): string {
  return id + mac(sessionSecret, clientSecret, id);
}

/** True when `nonce` was issued (by {@link bindNonce}) to the browser holding `clientSecret`. */
export function nonceBelongsTo(sessionSecret: string, clientSecret: string, nonce: string): boolean {
  if (nonce.length <= MAC_LENGTH) return false;
  const id = nonce.slice(0, -MAC_LENGTH);
  const given = Buffer.from(nonce.slice(-MAC_LENGTH));
  const expected = Buffer.from(mac(sessionSecret, clientSecret, id));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function mac(sessionSecret: string, clientSecret: string, id: string): string {
  return createHmac('sha256', nonceKey(sessionSecret)).update(`${id}\n${clientSecret}`).digest().subarray(0, 16).toString('base64url');
}

// The key derived from the session secret, made once per secret (a process has one): deriving it
// and turning it into a key object again for every form post and page was a measurable share of
// a report's CPU.
const nonceKeys = new Map<string, KeyObject>();

function nonceKey(sessionSecret: string): KeyObject {
  let key = nonceKeys.get(sessionSecret);
  if (!key) {
    key = createSecretKey(createHmac('sha256', sessionSecret).update('form-nonce').digest());
    if (nonceKeys.size >= 8) nonceKeys.clear();
    nonceKeys.set(sessionSecret, key);
  }
  return key;
}

/**
 * `reply.formNonce()` issues a nonce bound to this browser, `request.ownsFormNonce(nonce)` checks
 * one. The browser's secret is the CSRF secret cookie (every form page has one); on a first visit
 * it is created here, the same way @fastify/csrf-protection would, and put into `request.cookies`
 * so the CSRF token rendered on the same page uses it instead of minting a second one.
 */
export const formNoncePlugin = fp<{ sessionSecret: string; cookieKey: string; cookieOpts: CookieSerializeOptions }>(
  async (app: FastifyInstance, { sessionSecret, cookieKey, cookieOpts }) => {
    const existingSecret = (request: FastifyRequest): string | null => {
      const raw = request.cookies[cookieKey];
      return raw ? request.unsignCookie(raw).value : null;
    };

    app.decorateReply('formNonce', function (this: FastifyReply): string {
      let secret = existingSecret(this.request);
      if (!secret) {
        secret = randomBytes(18).toString('base64url');
        this.setCookie(cookieKey, secret, cookieOpts);
        this.request.cookies[cookieKey] = this.signCookie(secret);
      }
      return bindNonce(sessionSecret, secret, undefined);
    });

    app.decorateRequest('ownsFormNonce', function (this: FastifyRequest, nonce: string): boolean {
      const secret = existingSecret(this);
      return secret !== null && nonceBelongsTo(sessionSecret, secret, nonce);
    });
  },
  { name: 'form-nonce', dependencies: ['@fastify/cookie'] },
);

declare module 'fastify' {
  interface FastifyReply {
    /** A new form nonce bound to this browser (its CSRF secret cookie, created if missing). */
    formNonce(): string;
  }
  interface FastifyRequest {
    /** True when the nonce was issued to this browser; a nonce from another browser is refused. */
    ownsFormNonce(nonce: string): boolean;
  }
}
