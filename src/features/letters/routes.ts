import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { requireStaff } from '../../http/guards.ts';
import { AppError, notFound } from '../../infra/errors.ts';
import { visibleCase } from '../cases/case-view.ts';
import { postalAddressOfCase } from '../cases/contacts.ts';
import { replyOfCase } from './queries.ts';
import { letterDocument } from './render.tsx';

type LetterParams = { Params: { number: string; messageId: string } };

const NO_REPLY = 'Diesen Brief gibt es nicht: Die Nachricht ist keine Antwort zu diesem Anliegen.';
const NO_ADDRESS =
  'Für dieses Anliegen ist keine Postanschrift gespeichert. Ein Brief braucht die Anschrift, die beim Erfassen unter „Antwort per Brief“ eingetragen wird.';

/** The letter of a case reply: GET /anliegen/:number/brief/:messageId (print view) and …/:messageId.pdf. */
export function letterRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;

  app.get<LetterParams>('/anliegen/:number/brief/:messageId', { preHandler: requireStaff }, async (request, reply) => {
    const wanted = /^(\d{1,9})(\.pdf)?$/.exec(request.params.messageId);
    const user = staffOf(request);
    const kase = await visibleCase(db, user, request.params.number);
    const message = wanted ? await replyOfCase(db, kase.id, Number(wanted[1])) : null;
    if (!message) throw notFound(NO_REPLY);
    const postal = await postalAddressOfCase(db, kase.id);
    if (!postal) throw notFound(NO_ADDRESS);

    const base = `/anliegen/${kase.number}/brief/${message.id}`;
    const letter = letterDocument(
      {
        letterhead: { ...deps.config.letterhead, lines: [...deps.config.letterhead.lines] },
        recipient: { name: postal.name ?? kase.reporterName ?? '', lines: postal.address.split('\n') },
        date: message.createdAt,
        subject: `Ihr Anliegen ${kase.number}${kase.categoryName ? `: ${kase.categoryName}` : ''}`,
        caseNumber: kase.number,
        body: message.body,
        signer: { name: message.authorName ?? `Stadt ${deps.config.townName}`, team: kase.teamName },
      },
      {
        links: [
          { href: `/staff/faelle/${kase.number}`, label: 'Zurück zum Anliegen' },
          { href: `${base}.pdf`, label: 'Als PDF herunterladen' },
        ],
      },
    );
    reply.header('cache-control', 'private, no-store');
    if (wanted?.[2]) {
      // The number and id are checked above (digits and a dash only), so the file name is safe as is.
      const filename = `Brief-${kase.number}-${message.id}.pdf`;
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(await letter.pdf());
    }
    return reply.type('text/html; charset=utf-8').send(letter.html);
  });
}

function staffOf(request: FastifyRequest) {
  if (!request.user) throw new AppError('Unauthorized', 'Bitte melden Sie sich an.');
  return request.user;
}
