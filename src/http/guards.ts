import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../infra/errors.ts';
import type { UserRole } from '../infra/schema/index.ts';

/**
 * The signed-in staff member as every route and service sees it. The auth feature fills
 * `request.user` from the session cookie; every other feature only reads it through these guards,
 * so no feature needs to import auth.
 */
export interface SessionUser {
  id: number;
  email: string;
  displayName: string;
  role: UserRole;
  teamIds: number[];
  sessionId: string;
}

/** preHandler for staff pages: sends a browser to the login page, an API client gets 401. */
export async function requireStaff(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.user) return;
  if (request.method === 'GET' && (request.headers.accept ?? '').includes('text/html')) {
    await reply.redirect(`/anmelden?weiter=${encodeURIComponent(request.url)}`, 303);
    return;
  }
  throw new AppError('Unauthorized', 'Bitte melden Sie sich an.');
}

export async function requireAdmin(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  await requireStaff(request, reply);
  if (reply.sent) return;
  if (request.user?.role !== 'admin') throw new AppError('Forbidden', 'Diese Seite ist der Verwaltung vorbehalten.');
}

declare module 'fastify' {
  interface FastifyRequest {
    user: SessionUser | null;
  }
}
