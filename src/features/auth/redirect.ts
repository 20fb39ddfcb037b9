export const DEFAULT_AFTER_LOGIN = '/staff';

/**
 * Where to go after signing in. Only same-site relative paths are accepted: "//evil.example" and
 * "/\evil.example" are protocol-relative in browsers, so they would open someone else's site.
 */
export function safeRedirectTarget(candidate: unknown): string {
  if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 2000) return DEFAULT_AFTER_LOGIN;
  if (!candidate.startsWith('/') || candidate.startsWith('//') || candidate.startsWith('/\\')) return DEFAULT_AFTER_LOGIN;
  // Control characters (tab, newline) are stripped by browsers and could turn "/\t/evil" into "//evil".
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(candidate)) return DEFAULT_AFTER_LOGIN;
  // Normalised by the URL parser ("/a/../b", percent-encoding of non-ASCII), so the Location header
  // holds only ASCII; then checked again, as "/.//evil" would normalise to "//evil".
  const url = new URL(candidate.normalize('NFC'), ORIGIN);
  const target = `${url.pathname}${url.search}${url.hash}`;
  if (url.origin !== ORIGIN || target.startsWith('//')) return DEFAULT_AFTER_LOGIN;
  // Going back to the login or logout page after signing in would be a loop.
  if (/^\/(anmelden|abmelden)(?:[/?#]|$)/.test(target)) return DEFAULT_AFTER_LOGIN;
  return target;
}

/** A stand-in origin to resolve the relative target against; never appears in a response. */
const ORIGIN = 'http://amtsblatt.invalid';
