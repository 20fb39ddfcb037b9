import type { PostKind, PostStatus } from '../../../infra/schema/index.ts';

export const KIND_LABELS: Record<PostKind, string> = {
  news: 'Nachricht',
  notice: 'Amtliche Bekanntmachung',
  council: 'Vorlage erklärt',
  rule: 'Neue Regel erklärt',
  portrait: 'Mitarbeiterporträt',
  event: 'Termin/Veranstaltung',
};

export const STATUS_LABELS: Record<PostStatus, string> = {
  draft: 'Entwurf',
  review: 'zur Freigabe',
  approved: 'freigegeben',
  scheduled: 'geplant',
  published: 'veröffentlicht',
  withdrawn: 'zurückgezogen',
};
