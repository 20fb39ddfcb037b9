/** The reporter answered "Ist es wirklich behoben?"; emitted in the answer's transaction. */
export interface FixCheckAnswered {
  caseId: number;
  answer: 'yes' | 'no';
  at: Date;
}

declare module '../../infra/events.ts' {
  interface DomainEvents {
    'fix_check.answered': FixCheckAnswered;
  }
}
