import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalid } from '../infra/errors.ts';
import { normaliseFields, textProblemMessage } from '../infra/text-input.ts';

/** The labels the forms show, so the refusal names the field as the citizen or clerk knows it. */
const fieldLabels: Record<string, string> = {
  description: 'Beschreibung',
  locationText: 'Ort',
  reporterName: 'Name',
  reporterEmail: 'E-Mail-Adresse',
  email: 'E-Mail-Adresse',
  password: 'Passwort',
  displayName: 'Name',
  name: 'Name',
  title: 'Name des Textbausteins',
  body: 'Text',
  signature: 'Signatur',
  q: 'Suche',
  schlagwort: 'Schlagwort',
  tag: 'Schlagwort',
  json: 'Regel-Datei',
  file: 'Regel-Datei',
  closedDays: 'Schließtage',
  weiter: 'Weiterleitung',
  token: 'Link',
  number: 'Vorgangsnummer',
};

const labelOf = (field: string) => fieldLabels[field] ?? (/^day\d$/.test(field) ? 'Öffnungszeiten' : field.slice(0, 40));

/**
 * Every request's parsed body, query string and path parameters pass the one normaliser before
 * any route sees them (preValidation runs after the body parsers, multipart included). A refused
 * value answers 400 through the one error handler, with the field's label.
 */
export function registerInputEdge(app: FastifyInstance): void {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    for (const part of [request.params, request.query, request.body]) {
      const found = normaliseFields(part);
      if (found) {
        const message = textProblemMessage(found.problem, labelOf(found.field));
        throw invalid(message, { [found.field]: message });
      }
    }
  });
}
