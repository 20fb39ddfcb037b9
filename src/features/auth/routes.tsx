import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { pageContext, sendPage } from '../../http/page.ts';
import { fieldErrors } from '../../infra/errors.ts';
import { safeRedirectTarget } from './redirect.ts';
import { type AuthDeps, type LoginResult, login, loginSchema } from './service.ts';
import { clearSessionCookie, destroySession, setSessionCookie } from './session.ts';
import { DEVICE_COOKIE, throttleSecret } from './throttle-keys.ts';
import { formatWait } from './throttle-policy.ts';
import { LoginPage, type LoginView } from './views/login.tsx';

/**
 * Sign-in attempts per IP and minute, in memory: a coarse brake on floods. The counters of
 * throttle-policy.ts do the real work, in the database and across processes.
 */
export const LOGIN_RATE_LIMIT = 20;

const DEVICE_COOKIE_DAYS = 400;
const secondsUntil = (at: Date, now: Date) => Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));

/** One text per outcome; known and unknown accounts get the very same words (throttle-policy.ts). */
function problemFor(result: Exclude<LoginResult, { outcome: 'ok' }>, now: Date): { status: number; title: string; text: string } {
  switch (result.outcome) {
    case 'invalid':
      return {
        status: 401,
        title: 'E-Mail oder Passwort stimmt nicht.',
        text: result.retryAt
          ? `Bitte prüfen Sie Ihre Eingabe. Nach mehreren Fehlversuchen prüfen wir den nächsten Versuch erst in ${formatWait(secondsUntil(result.retryAt, now))}.`
          : 'Bitte prüfen Sie Ihre Eingabe. Nach mehreren Fehlversuchen müssen Sie zwischen zwei Versuchen etwas warten.',
      };
    case 'throttled':
      return {
        status: 429,
        title: 'Bitte warten Sie einen Moment.',
        text: `Nach mehreren Fehlversuchen prüfen wir den nächsten Versuch erst in ${formatWait(secondsUntil(result.retryAt, now))}. Gesperrt ist dabei nichts – danach geht es wie gewohnt.`,
      };
    case 'inactive':
      return {
        status: 403,
        title: 'Dieser Zugang ist deaktiviert.',
        text: 'Bitte wenden Sie sich an die Verwaltung, wenn Sie wieder Zugriff brauchen.',
      };
  }
}

export function registerAuthRoutes(app: FastifyInstance, deps: AppDeps, sessionSecret: string): void {
  const secure = deps.config.publicUrl.startsWith('https://');
  const authDeps: AuthDeps = {
    db: deps.database.db,
    clock: deps.clock,
    queue: deps.queue,
    log: deps.log.child({ module: 'auth' }),
    publicUrl: deps.config.publicUrl,
    townName: deps.config.townName,
    throttleSecret: throttleSecret(sessionSecret),
  };
  const weiterOf = (source: unknown) => safeRedirectTarget((source as { weiter?: unknown } | undefined)?.weiter);

  app.get('/anmelden', async (request, reply) => {
    const weiter = weiterOf(request.query);
    if (request.user) return reply.redirect(weiter, 303);
    const view: LoginView = { weiter, loggedOut: (request.query as { abgemeldet?: string }).abgemeldet === '1' };
    return sendPage(reply, <LoginPage ctx={pageContext(request, reply)} view={view} />);
  });

  app.post(
    '/anmelden',
    { preHandler: app.csrfProtection, config: { rateLimit: { max: LOGIN_RATE_LIMIT, timeWindow: 60_000 } } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const weiter = weiterOf(body);
      const email = typeof body.email === 'string' ? body.email.slice(0, 254) : '';
      const parsed = loginSchema.safeParse(body);
      if (!parsed.success) {
        const errors = fieldErrors(parsed.error);
        return sendPage(reply, <LoginPage ctx={pageContext(request, reply)} view={{ weiter, email, errors }} />, 400);
      }
      const result = await login(authDeps, parsed.data, { address: request.ip, deviceCookie: request.cookies[DEVICE_COOKIE] });
      if (result.outcome === 'ok') {
        setSessionCookie(reply, result.session.cookieValue, result.session.expiresAt, secure);
        reply.setCookie(DEVICE_COOKIE, result.deviceCookie, {
          path: '/anmelden',
          httpOnly: true,
          sameSite: 'lax',
          secure,
          maxAge: DEVICE_COOKIE_DAYS * 86_400,
        });
        request.log.info({ userId: result.userId }, 'signed in');
        return reply.redirect(weiter, 303);
      }
      // Neither e-mail nor address: a refused sign-in may be a typo of someone else's address.
      request.log.info({ outcome: result.outcome }, 'sign-in refused');
      const { status, title, text } = problemFor(result, deps.clock.now());
      if (result.outcome === 'throttled') reply.header('retry-after', String(secondsUntil(result.retryAt, deps.clock.now())));
      return sendPage(reply, <LoginPage ctx={pageContext(request, reply)} view={{ weiter, email, problem: { title, text } }} />, status);
    },
  );

  app.post('/abmelden', { preHandler: app.csrfProtection }, async (request, reply) => {
    if (request.user) {
      await destroySession(deps.database.db, request.user.sessionId);
      request.log.info({ userId: request.user.id }, 'signed out');
    }
    clearSessionCookie(reply);
    return reply.redirect('/anmelden?abgemeldet=1', 303);
  });
}
