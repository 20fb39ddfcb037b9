import type { ComponentChildren } from 'preact';
import type { CaseStatus } from '../../../infra/schema/index.ts';
import { formatBusinessMinutes, slaState } from '../case-clock.ts';
import type { CaseSlaRow } from '../queries.ts';
import { SlaBadge } from './due.tsx';
import { formatDue } from './format.ts';

function Item({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="kern-description-list-item">
      <dt class="kern-description-list-item__key">{label}</dt>
      <dd class="kern-description-list-item__value">{children}</dd>
    </div>
  );
}

const When = ({ at }: { at: Date }) => <time dateTime={at.toISOString()}>{formatDue(at)}</time>;

/** The case page's "Fristen" box: the state in words, both deadlines, and whether the clock is paused. */
export function SlaBox({ sla, kase, now }: { sla: CaseSlaRow | null; kase: { status: CaseStatus; closedAt: Date | null }; now: Date }) {
  return (
    <section aria-labelledby="sla-title">
      <h2 id="sla-title" class="kern-heading-medium">
        Fristen
      </h2>
      {!sla ? (
        <p class="kern-body">Für dieses Anliegen läuft keine Frist: Es passt keine Fristenregel.</p>
      ) : (
        <>
          <p class="kern-body">
            <SlaBadge state={slaState(now, { ...kase, dueAt: sla.dueAt, warnAt: sla.warnAt, resolutionDueAt: sla.resolutionDueAt })} /> nach
            der Regel „{sla.policyName}“ ({formatBusinessMinutes(sla.responseMinutes)} bis zur ersten Antwort,{' '}
            {formatBusinessMinutes(sla.resolutionMinutes)} bis zur Erledigung, jeweils Arbeitszeit)
          </p>
          <dl class="kern-description-list">
            <Item label="Erste Antwort">
              {sla.firstResponseAt ? (
                <>
                  gegeben <When at={sla.firstResponseAt} />
                  {sla.firstResponseAt > sla.responseDueAt ? ' (nach der Frist)' : ' (rechtzeitig)'}
                </>
              ) : (
                <>
                  fällig <When at={sla.responseDueAt} />
                </>
              )}
            </Item>
            <Item label="Erledigung">
              fällig <When at={sla.resolutionDueAt} />
            </Item>
            {sla.pausedSince && kase.status === 'waiting' && (
              <Item label="Uhr angehalten seit">
                <When at={sla.pausedSince} />, solange wir auf eine Rückmeldung warten
              </Item>
            )}
            {(sla.resolutionPausedMinutes > 0 || sla.responsePausedMinutes > 0) && (
              <Item label="Angehalten insgesamt">
                {formatBusinessMinutes(Math.max(sla.resolutionPausedMinutes, sla.responsePausedMinutes))} Arbeitszeit
              </Item>
            )}
          </dl>
        </>
      )}
    </section>
  );
}
