import type { ComponentChildren } from 'preact';
import type { z } from 'zod';
import type { DbOrTx } from '../../infra/db.ts';
import type { CaseDetail } from './queries.ts';
import type { StaffActor } from './service.ts';
import type { CaseFormState } from './views/case-forms.tsx';

/**
 * Panels that features add to the case page ("Veröffentlichung" …) without the cases core knowing
 * them: a feature registers its panel once when its plugin starts (before the cases plugin), and
 * the case page renders every registered panel in the side column. A panel's forms post to
 * /staff/faelle/:number/<path> and go through the same form handling as the core's own forms:
 * CSRF, Zod, 400/409 with the page and what was typed, 303 back with a success code.
 */
export interface PanelRenderInput {
  db: DbOrTx;
  viewer: StaffActor;
  kase: CaseDetail;
  now: Date;
  csrf: string | undefined;
  /** The panel's form that came back with errors, if it is one of this panel's. */
  form: CaseFormState | undefined;
}

export interface PanelForm {
  /** The last part of the URL: /staff/faelle/:number/<path>. */
  path: string;
  schema: z.ZodType;
  /**
   * Runs the change; returns the success code the page shows (one of the panel's okMessages), or a
   * path starting with "/" to go to instead (the case moved to a team the actor is not in).
   */
  run(actor: StaffActor, kase: { id: number; number: string }, input: unknown): Promise<string>;
}

export interface CasePanel {
  id: string;
  render(input: PanelRenderInput): Promise<ComponentChildren>;
  forms: readonly PanelForm[];
  /** Success codes of its forms (?ok=…) and their German messages. */
  okMessages: Readonly<Record<string, string>>;
}

const registered = new Map<string, CasePanel>();

/** Registers (or, for a new app in the same process, replaces) a feature's panel. */
export function registerCasePanel(panel: CasePanel): void {
  registered.set(panel.id, panel);
}

/** The panels as registered now; the cases plugin takes this copy when it starts. */
export function casePanels(): readonly CasePanel[] {
  return [...registered.values()];
}
