import type { FastifyRequest } from 'fastify';
import { AppError, notFound } from '../../infra/errors.ts';

/** Small HTTP helpers shared by the admin routes. */
export const formBody = (request: FastifyRequest): Record<string, unknown> => (request.body ?? {}) as Record<string, unknown>;

/** A text field's value for refilling a form; arrays (duplicate keys) and missing fields become empty. */
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Team checkboxes are named "team:<slug>" with the value "yes". */
export const checkedTeams = (body: Record<string, unknown>): string[] =>
  Object.entries(body)
    .filter(([k, v]) => k.startsWith('team:') && v === 'yes')
    .map(([k]) => k.slice('team:'.length));

export function idParam(request: FastifyRequest): number {
  const raw = (request.params as { id?: string }).id ?? '';
  const id = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(id) || id < 1) throw notFound();
  return id;
}

/** Errors a form shows beside its fields (400/409); anything else goes to the central error page. */
export const isFormError = (err: unknown): err is AppError =>
  err instanceof AppError && (err.code === 'Invalid' || err.code === 'Conflict');
