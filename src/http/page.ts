import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { PageBanner, PageContext } from '../ui/layout.tsx';
import { renderPage } from '../ui/render.ts';

/** What every page template needs: town name, the signed-in user and a fresh CSRF token. */
export function pageContext(request: FastifyRequest, reply: FastifyReply): PageContext {
  return {
    townName: request.server.townName,
    user: request.user ? { displayName: request.user.displayName, role: request.user.role } : null,
    csrfToken: reply.generateCsrf(),
    banner: request.pageBanner,
    heldCount: request.heldCount,
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by a feature's hook before the page is built (see channels/email/intake-banner.ts). */
    pageBanner: PageBanner | null;
    /** Items waiting in "Nicht zugeordnet" (channels/held/nav-count.ts), for the staff navigation. */
    heldCount: number | null;
  }
}

export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderPage(page));
}

/** True when the client wants HTML (a browser), false for API clients and htmx JSON calls. */
export function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html') || accept === '' || (accept.includes('*/*') && !accept.includes('application/json'));
}
