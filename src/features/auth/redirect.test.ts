import { describe, expect, it } from 'vitest';
import { DEFAULT_AFTER_LOGIN, safeRedirectTarget } from './redirect.ts';

describe('safeRedirectTarget', () => {
  it.each(['/admin', '/staff/faelle/2026-00012?tab=verlauf', '/admin/benutzer#liste'])('keeps the same-site path %s', (path) => {
    expect(safeRedirectTarget(path)).toBe(path);
  });

  it.each([
    ['protocol-relative', '//evil.example'],
    ['protocol-relative with path', '//evil.example/admin'],
    ['backslash trick', '/\\evil.example'],
    ['absolute URL', 'https://evil.example/'],
    ['javascript URL', 'javascript:alert(1)'],
    ['relative without slash', 'admin'],
    ['tab that browsers strip', '/\t/evil.example'],
    ['newline', '/admin\n'],
    ['back to the login page', '/anmelden?weiter=/admin'],
    ['the logout page', '/abmelden'],
    ['empty', ''],
  ])('rejects %s', (_name, path) => {
    expect(safeRedirectTarget(path)).toBe(DEFAULT_AFTER_LOGIN);
  });

  it('percent-encodes non-ASCII and normalises the path, so the Location header stays ASCII', () => {
    expect(safeRedirectTarget('/staff?q=Straße')).toBe('/staff?q=Stra%C3%9Fe');
    expect(safeRedirectTarget('/staff/\u00e4')).toBe('/staff/%C3%A4');
    expect(safeRedirectTarget('/staff/a\u0308')).toBe('/staff/%C3%A4');
    expect(safeRedirectTarget('/staff/../admin')).toBe('/admin');
    expect(safeRedirectTarget('/.//evil.example')).toBe(DEFAULT_AFTER_LOGIN);
    expect(safeRedirectTarget('/x/../anmelden')).toBe(DEFAULT_AFTER_LOGIN);
  });

  it('rejects non-strings and overlong values', () => {
    expect(safeRedirectTarget(undefined)).toBe('/staff');
    expect(safeRedirectTarget(['/admin', '/staff'])).toBe('/staff');
    expect(safeRedirectTarget(`/${'a'.repeat(3000)}`)).toBe('/staff');
  });
});
