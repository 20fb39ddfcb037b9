import { Button, CsrfField } from '../../../../ui/forms.tsx';
import { percentText } from '../detect.ts';
import type { OpenHint } from '../queries.ts';

/**
 * "Zuständigkeit prüfen" on the case page: why the case is where it is, what the classifier
 * thinks, and one button for each way. Both post the case version, so a stale page changes nothing.
 */
export function TeamConflictPanel(props: { number: string; version: number; csrf: string | undefined; hint: OpenHint; error?: string }) {
  const { hint } = props;
  const keep = hint.ruleTeamName ?? hint.details.ruleTeamName ?? 'bisheriges Team';
  const move = hint.classifierTeamName ?? hint.details.classifierTeamName ?? null;
  const why =
    hint.details.source === 'rule' && hint.details.ruleName
      ? `die Regel „${hint.details.ruleName}“${hint.details.categoryName ? ` (Kategorie „${hint.details.categoryName}“)` : ''}`
      : `die Kategorie „${hint.details.categoryName ?? 'ohne Namen'}“`;
  const confidence = hint.confidence === null ? '' : ` mit einer Sicherheit von ${percentText(hint.confidence)}`;
  return (
    <section aria-labelledby="zustaendigkeit-title" class="routing-hint form-stack">
      <h2 id="zustaendigkeit-title" class="kern-heading-medium">
        Zuständigkeit prüfen
      </h2>
      <div class="kern-alert kern-alert--warning">
        <div class="kern-alert__body">
          <p class="kern-body">
            Das Anliegen ist bei {keep}, weil {why} es dorthin gibt. Der Klassifikator hält {move ?? 'ein anderes Team'}
            {confidence} für zuständig. Bitte entscheiden Sie.
          </p>
        </div>
      </div>
      {props.error && (
        <p class="kern-error" id="zustaendigkeit-error" role="alert">
          <span class="kern-body">{props.error}</span>
        </p>
      )}
      <form method="post" action={`/staff/faelle/${props.number}/zustaendigkeit`} class="form-stack">
        <CsrfField token={props.csrf} />
        <input type="hidden" name="version" value={String(props.version)} />
        <Button variant="secondary" name="wahl" value="behalten">
          {`Bei ${keep} lassen`}
        </Button>
        {move && (
          <Button name="wahl" value="abgeben">
            {`An ${move} geben`}
          </Button>
        )}
      </form>
    </section>
  );
}
