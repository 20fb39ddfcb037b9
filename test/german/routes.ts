/**
 * The pages the German walk visits. `:name` parts are filled from the demo town's data by the
 * test; a route whose part has no value there is reported as skipped, never silently dropped.
 * Keep this list in step with the GET routes that render HTML (grep "app.get" in src/).
 */
export const publicRoutes = [
  '/',
  '/melden',
  '/meldungen',
  '/meldungen/:publicNumber',
  '/statistik',
  '/datenschutz',
  '/barrierefreiheit',
  '/impressum',
  '/anmelden',
  '/verfolgen/:trackingToken',
  '/folgen/:followToken',
] as const;

export const staffRoutes = [
  '/staff',
  '/staff?sortierung=faelligkeit',
  '/staff/warteschlange',
  '/staff/nicht-zugeordnet',
  '/staff/outbox',
  '/staff/textbausteine',
  '/staff/textbausteine/:templateId',
  '/erfassen',
  '/staff/faelle/:caseNumber',
  '/staff/faelle/:otherCaseNumber',
  '/staff/faelle/:hintCaseNumber',
  '/admin',
  '/admin/benutzer',
  '/admin/benutzer/neu',
  '/admin/benutzer/:userId',
  '/admin/teams',
  '/admin/teams/:teamId',
  '/admin/anmeldungen',
  '/admin/fristen',
  '/admin/fristen/:policyId',
  '/admin/fristen/zeiten/standard',
  '/admin/fristen/zeiten/:teamId',
  '/admin/kanaele',
  '/admin/kategorien',
  '/admin/klassifikator',
  '/admin/regeln',
  '/admin/regeln/neu',
  '/admin/regeln/:ruleId',
  '/admin/schnittstellen',
] as const;
