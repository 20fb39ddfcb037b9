import type { z } from 'zod';
import type { CasePanel, PanelForm } from '../../cases/panels.ts';
import type { StaffActor } from '../../cases/service.ts';
import { decisionSchema, maskTermSchema, photoSchema, publicNoteSchema, publicTextSchema, reasonSchema, unmaskSchema } from './forms.ts';
import { publicationPanel } from './panel-data.ts';
import {
  changeMasks,
  editText,
  onCase,
  type PublicationDeps,
  publishWork,
  releasePhoto,
  setPublicNote,
  withdrawWork,
  withholdWork,
} from './service.ts';
import { PublicationPanel } from './views/panel.tsx';

const okMessages = {
  veroeffentlicht: 'Das Anliegen ist jetzt öffentlich.',
  'nicht-veroeffentlicht': 'Das Anliegen wird nicht veröffentlicht.',
  zurueckgezogen: 'Die Veröffentlichung ist zurückgezogen; das Anliegen ist auf keiner öffentlichen Seite mehr zu sehen.',
  text: 'Der öffentliche Text ist gespeichert.',
  geschwaerzt: 'Die Stelle ist geschwärzt.',
  aufgedeckt: 'Die Stelle bleibt im öffentlichen Text sichtbar.',
  'foto-frei': 'Das Foto ist freigegeben.',
  'foto-gesperrt': 'Das Foto ist nicht mehr freigegeben.',
  hinweis: 'Der öffentliche Hinweis ist gespeichert.',
};

function form<S extends z.ZodType>(
  deps: PublicationDeps,
  path: string,
  schema: S,
  work: (input: z.infer<S>) => Parameters<typeof onCase>[4],
): PanelForm {
  return {
    path,
    schema,
    run: (actor: StaffActor, kase, input) => {
      const parsed = input as z.infer<S> & { version: number };
      return onCase(deps, actor, kase.id, parsed.version, work(parsed));
    },
  };
}

/** The "Veröffentlichung" panel of the case page, with its forms. */
export function publicationCasePanel(deps: PublicationDeps): CasePanel {
  return {
    id: 'publication',
    okMessages,
    async render({ db, kase, csrf, form: state }) {
      const data = await publicationPanel(db, kase.id);
      if (!data) return null;
      return <PublicationPanel number={kase.number} version={kase.version} csrf={csrf} data={data} form={state} />;
    },
    forms: [
      form(deps, 'oeffentlich-veroeffentlichen', decisionSchema, () => publishWork),
      form(deps, 'oeffentlich-anhalten', reasonSchema, (i) => withholdWork(i.reason)),
      form(deps, 'oeffentlich-zurueckziehen', reasonSchema, (i) => withdrawWork(i.reason)),
      form(deps, 'oeffentlich-text', publicTextSchema, (i) => editText(i.text)),
      form(deps, 'oeffentlich-schwaerzen', maskTermSchema, (i) => changeMasks({ term: i.term })),
      form(deps, 'oeffentlich-aufdecken', unmaskSchema, (i) => changeMasks({ index: i.mask, unmasked: i.unmasked })),
      form(deps, 'oeffentlich-foto', photoSchema, (i) => releasePhoto(i.photo, i.released)),
      form(deps, 'oeffentlich-hinweis', publicNoteSchema, (i) => setPublicNote(i.note)),
    ],
  };
}
