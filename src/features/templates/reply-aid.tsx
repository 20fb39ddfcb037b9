import type { Db } from '../../infra/db.ts';
import { registerReplyAid } from '../cases/reply-aids.ts';
import { pickTemplate, templateChoices } from './case-templates.ts';
import { TemplatePicker } from './views/template-picker.tsx';

/** The Textbausteine picker above the case page's reply box; `?vorlage=ID` fills the box without JavaScript. */
export function registerTemplatePicker(db: Db): () => void {
  return registerReplyAid(db, async ({ db: reader, viewer, kase, query, formShown }) => {
    const choices = await templateChoices(reader, viewer, kase);
    const picked = formShown ? {} : pickTemplate(choices, query.vorlage);
    return { picker: <TemplatePicker number={kase.number} choices={choices} error={picked.error} />, ...picked };
  });
}
