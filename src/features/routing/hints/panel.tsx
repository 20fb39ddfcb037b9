import { z } from 'zod';
import type { CasePanel } from '../../cases/panels.ts';
import type { CasesDeps } from '../../cases/service.ts';
import { openHintOf } from './queries.ts';
import { resolveTeamConflict } from './service.ts';
import { TeamConflictPanel } from './views/panel.tsx';

export const PANEL_PATH = 'zustaendigkeit';

const decisionSchema = z.object({
  version: z.coerce
    .number({ message: 'Die Seite ist veraltet. Bitte laden Sie sie neu.' })
    .int('Die Seite ist veraltet. Bitte laden Sie sie neu.')
    .positive('Die Seite ist veraltet. Bitte laden Sie sie neu.'),
  wahl: z.enum(['behalten', 'abgeben'], { message: 'Bitte wählen Sie eines der beiden Teams.' }),
});

const okMessages = {
  'zustaendigkeit-behalten': 'Die Zuständigkeit ist geprüft: Das Anliegen bleibt, wo es ist.',
  'zustaendigkeit-abgegeben': 'Die Zuständigkeit ist geprüft: Das Anliegen ist beim anderen Team.',
};

/** The "Zuständigkeit prüfen" panel: shown while a routing hint of the case is open. */
export function routingHintPanel(deps: CasesDeps): CasePanel {
  return {
    id: 'routing-hint',
    okMessages,
    async render({ db, kase, csrf, form }) {
      const hint = await openHintOf(db, kase.id);
      if (!hint) return null;
      const error = form?.name === `panel:${PANEL_PATH}` ? (form.message ?? Object.values(form.errors)[0]) : undefined;
      return <TeamConflictPanel number={kase.number} version={kase.version} csrf={csrf} hint={hint} {...(error ? { error } : {})} />;
    },
    forms: [
      {
        path: PANEL_PATH,
        schema: decisionSchema,
        async run(actor, kase, input) {
          const { version, wahl } = input as z.infer<typeof decisionSchema>;
          const choice = wahl === 'abgeben' ? 'move' : 'keep';
          const { stillVisible } = await resolveTeamConflict(deps, actor, kase.id, { version, choice });
          // Handed to a team the actor is not in: the case page would be closed to them now.
          if (!stillVisible) return '/staff?ok=verschoben';
          return choice === 'move' ? 'zustaendigkeit-abgegeben' : 'zustaendigkeit-behalten';
        },
      },
    ],
  };
}
