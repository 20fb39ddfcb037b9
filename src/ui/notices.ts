/**
 * Confirmation texts after a redirect are picked by a key in the URL (`?hinweis=gespeichert`), never
 * by echoing the URL itself, so nobody can make a page show text of their choice.
 */
export function noticeKeyFrom<K extends string>(query: unknown, notices: Record<K, string>): K | undefined {
  const key = (query as { hinweis?: unknown } | undefined)?.hinweis;
  return typeof key === 'string' && Object.hasOwn(notices, key) ? (key as K) : undefined;
}
