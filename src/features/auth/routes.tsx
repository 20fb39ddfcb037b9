import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { pageContext, sendPage } from '../../http/page.ts';
import { fieldErrors } from '../../infra/errors.ts';
import { safeRedirectTarget } from './redirect.ts';
import { type LoginResult, login, loginSchema } from './service.ts';
import { clearSessionCookie, destroySession, setSessionCookie } from './session.ts';
import { LoginPage, type LoginView } from './views/login.tsx';

/** Sign-in attempts per IP and minute; the per-account lock-out stops guessing one password slowly. */
export const LOGIN_RATE_LIMIT = 20;

const timeFormat = new Intl.DateTimeFormat('de-DE', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Berlin' });

function problemFor(result: Exclude<LoginResult, { outcome: 'ok' }>, now: Date): { status: number; title: string; text: string } {
  switch (result.outcome) {
    case 'invalid':
      return {
        status: 401,
        title: 'E-Mail oder Passwort stimmt nicht.',
        text: 'Bitte prüfen Sie Ihre Eingabe. Nach mehreren Fehlversuchen wird der Zugang kurz gesperrt.',
      };
    case 'locked': {
      const minutes = Math.max(1, Math.ceil((result.until.getTime() - now.getTime()) / 60_000));
      return {
        status: 429,
        title: 'Dieser Zugang ist vorübergehend gesperrt.',
        text: `Zu viele Fehlversuche. Bitte versuchen Sie es in ${minutes} ${minutes === 1 ? 'Minute' : 'Minuten'} wieder (ab ${timeFormat.format(result.until)} Uhr).`,
      };
    }
    case 'inactive':
      return {
        status: 403,
        title: 'Dieser Zugang ist deaktiviert.',
        text: 'Bitte wenden Sie sich an die Verwaltung, wenn Sie wieder Zugriff brauchen.',
      };
  }
}

export function registerAuthRoutes(app: FastifyInstance, deps: AppDeps): void {
  const secure = deps.config.publicUrl.startsWith('https://');
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
      const result = await login({ db: deps.database.db, clock: deps.clock }, parsed.data);
      if (result.outcome === 'ok') {
        setSessionCookie(reply, result.session.cookieValue, result.session.expiresAt, secure);
        request.log.info({ userId: result.userId }, 'signed in');
        return reply.redirect(weiter, 303);
      }
      request.log.info({ outcome: result.outcome }, 'sign-in refused');
      const { status, title, text } = problemFor(result, deps.clock.now());
      if (result.outcome === 'locked')
        reply.header('retry-after', String(Math.max(1, Math.ceil((result.until.getTime() - deps.clock.now().getTime()) / 1000))));
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
