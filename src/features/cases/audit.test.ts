import { describe, expect, it } from 'vitest';
import { auditLabel, describeAudit } from './audit.ts';
import { caseStatusLabels, caseTypeLabels, channelLabels, priorityLabels } from './labels.ts';

const labels = { status: caseStatusLabels, type: caseTypeLabels, priority: priorityLabels, channel: channelLabels };

describe('describeAudit', () => {
  it('shows the routing reason', () => {
    expect(describeAudit('routed', { teamId: 1, reason: 'Leitstelle, weil sie diese Art bearbeitet' }, labels)).toBe(
      'Leitstelle, weil sie diese Art bearbeitet',
    );
  });
  it('translates status codes and keeps a reason', () => {
    expect(describeAudit('status_changed', { from: 'new', to: 'resolved' }, labels)).toBe('neu → erledigt');
    expect(describeAudit('status_changed', { from: 'resolved', to: 'in_progress', reason: 'Neue Nachricht' }, labels)).toBe(
      'erledigt → in Bearbeitung (Neue Nachricht)',
    );
  });
  it('names an unset type "unklar" and team "ohne Team"', () => {
    expect(describeAudit('type_changed', { from: null, to: 'idea' }, labels)).toBe('unklar → Idee / Vorschlag');
    expect(describeAudit('team_changed', { from: 'Leitstelle', to: null }, labels)).toBe('Leitstelle → ohne Team');
  });
  it('describes assignment and its removal', () => {
    expect(describeAudit('assigned', { to: 'Erika Muster' }, labels)).toBe('an Erika Muster');
    expect(describeAudit('assigned', { to: null, reason: 'Team gewechselt' }, labels)).toBe('Zuweisung aufgehoben (Team gewechselt)');
  });
  it('shows the channel of a new case and the delivery note of a reply', () => {
    expect(describeAudit('created', { channel: 'email' }, labels)).toBe('über E-Mail');
    expect(describeAudit('replied', { delivered: false, note: 'Bitte rufen Sie zurück' }, labels)).toBe('Bitte rufen Sie zurück');
  });
  it('survives odd details', () => {
    expect(describeAudit('note_added', null, labels)).toBeNull();
    expect(describeAudit('something_new', { x: 1 }, labels)).toBeNull();
  });
});

describe('auditLabel', () => {
  it('gives the German label, or the code for unknown actions', () => {
    expect(auditLabel('note_added')).toBe('Interne Notiz');
    expect(auditLabel('something_new')).toBe('something_new');
  });
});
