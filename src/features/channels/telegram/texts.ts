import { oneLine } from '../../../infra/text-input.ts';

/**
 * What the bot says: friendly, at eye level, short, "Sie". Sent without parse_mode, so whatever a
 * citizen or a clerk typed (angle brackets, asterisks) shows as typed and is never markup.
 */
export const texts = {
  start: (firstName: string | null, townName: string) =>
    [
      `Hallo${firstName ? ` ${oneLine(firstName)}` : ''}! Hier ist der Bürgerservice der Stadt ${oneLine(townName)}.`,
      '',
      'Ist Ihnen etwas aufgefallen – eine kaputte Laterne, ein voller Mülleimer, ein Schlagloch? Schreiben Sie es uns einfach.',
      '',
      '/melden – Schritt für Schritt etwas melden (mit Foto und Ort)',
      '/status – Ihre offenen Anliegen',
      '/hilfe – so funktioniert es',
    ].join('\n'),
  help: [
    'So funktioniert es:',
    '',
    '/melden – wir fragen nach einer kurzen Beschreibung, einem Foto, dem Ort und der Kategorie. Foto und Ort können Sie auch weglassen.',
    '/status – zeigt Ihre offenen Anliegen und wie weit sie sind.',
    '/abbrechen – bricht eine angefangene Meldung ab.',
    '',
    'Sie können uns auch einfach schreiben: Jede Nachricht wird ein Anliegen. Antworten Sie auf eine unserer Nachrichten, wenn Sie etwas zu einem Anliegen ergänzen möchten.',
    '',
    'Ihre Nachrichten lesen Mitarbeiterinnen und Mitarbeiter der Stadtverwaltung. Bitte schicken Sie keine Gesundheitsdaten oder Passwörter.',
  ].join('\n'),
  askText: 'Was möchten Sie melden? Beschreiben Sie es bitte in ein, zwei Sätzen.',
  needText: 'Bitte beschreiben Sie zuerst in ein paar Worten, worum es geht.',
  askPhoto: 'Danke! Haben Sie ein Foto dazu? Dann schicken Sie es jetzt. Sonst tippen Sie auf „Ohne Foto weiter“.',
  needPhoto: 'Bitte schicken Sie ein Foto – oder tippen Sie auf „Ohne Foto weiter“.',
  photoUnreadable:
    'Dieses Foto konnten wir leider nicht lesen. Bitte schicken Sie ein anderes (JPEG oder PNG) – oder machen Sie ohne Foto weiter.',
  askLocation:
    'Wo ist das? Teilen Sie bitte Ihren Standort (Büroklammer → Standort) oder schreiben Sie den Ort, z. B. „Marktplatz, vor der Apotheke“. Oder tippen Sie auf „Ohne Ort weiter“.',
  askCategory: 'Fast geschafft: Worum geht es? Tippen Sie auf die passende Kategorie.',
  needCategory: 'Bitte tippen Sie auf eine der Kategorien oben – oder auf „Weiß ich nicht“.',
  cancelled: 'In Ordnung, die Meldung ist verworfen. Mit /melden fangen Sie neu an.',
  nothingToCancel: 'Es ist gerade keine Meldung angefangen. Mit /melden fangen Sie eine an.',
  expired: 'Diese Auswahl ist nicht mehr aktuell. Mit /melden fangen Sie neu an.',
  storing: 'Danke! Wir legen Ihr Anliegen an …',
  followedUp: (number: string) => `Danke, wir haben Ihre Nachricht zum Anliegen ${oneLine(number)} hinzugefügt.`,
  thanks: 'Gern geschehen! Wenn noch etwas ist, schreiben Sie uns einfach.',
  onlyPrivate: 'Bitte schreiben Sie mir in einem privaten Chat – in Gruppen nehme ich keine Meldungen an.',
  unsupported: 'Das kann ich leider nicht verarbeiten. Bitte schreiben Sie uns einen Text oder schicken Sie ein Foto.',
  locationOutside: 'Danke für den Standort! Damit wir wissen, worum es geht, starten Sie bitte /melden.',
  failed: 'Das hat leider nicht geklappt. Bitte versuchen Sie es in ein paar Minuten noch einmal.',
  noOpenCases: 'Sie haben gerade keine offenen Anliegen bei uns. Mit /melden können Sie etwas melden.',
  status: (rows: { number: string; status: string; url: string }[]) =>
    [
      rows.length === 1 ? 'Ihr offenes Anliegen:' : `Ihre ${rows.length} offenen Anliegen:`,
      '',
      ...rows.map((r) => `${oneLine(r.number)} – ${r.status}\n${oneLine(r.url)}`),
    ].join('\n'),
  acknowledgement: (p: { number: string; trackingUrl: string; body?: string }) =>
    [
      p.body?.trim() ?? `Danke! Ihre Meldung ist bei uns angekommen. Sie hat die Vorgangsnummer ${oneLine(p.number)}.`,
      '',
      'Den Stand und unsere Antworten sehen Sie hier:',
      oneLine(p.trackingUrl),
      '',
      'Der Link ist persönlich. Antworten Sie auf diese Nachricht, wenn Sie noch etwas ergänzen möchten.',
    ].join('\n'),
  reply: (p: {
    number: string;
    body: string;
    staffName: string;
    teamName: string | null;
    signature: string | null;
    trackingUrl: string | null;
  }) =>
    [
      `Antwort zu Ihrem Anliegen ${oneLine(p.number)}:`,
      '',
      p.body.trim(),
      '',
      p.signature?.trim() || [oneLine(p.staffName), p.teamName ? oneLine(p.teamName) : null].filter(Boolean).join(', '),
      ...(p.trackingUrl ? ['', `Alles zum Anliegen: ${oneLine(p.trackingUrl)}`] : []),
    ].join('\n'),
  buttons: { skipPhoto: 'Ohne Foto weiter', skipLocation: 'Ohne Ort weiter', unknownCategory: 'Weiß ich nicht' },
};
