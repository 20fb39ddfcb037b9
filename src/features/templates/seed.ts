import type { Tx } from '../../infra/db.ts';
import { replyTemplates, teamSettings } from '../../infra/schema/index.ts';

/**
 * Textbausteine and signatures of the demo town: the tone the platform stands for (friendly, at
 * eye level, short, a wink allowed). Greeting and closing are added when the reply is sent.
 */
export const demoTemplates: { team: string | null; title: string; body: string }[] = [
  {
    team: null,
    title: 'Danke, wir kümmern uns',
    body: 'danke für Ihre Meldung! Sie liegt jetzt beim Team {{team}}, und wir melden uns, sobald sich etwas tut – spätestens bis {{frist}}. Den Stand sehen Sie jederzeit über den Link unten.',
  },
  {
    team: null,
    title: 'Wir sind nicht zuständig, kümmern uns aber',
    body: 'für Ihr Anliegen ist die Stadt selbst nicht zuständig – aber Sie sollen deshalb nicht von Amt zu Amt laufen. Wir haben es für Sie an die richtige Stelle weitergeleitet: [bitte Stelle eintragen]. Die meldet sich direkt bei Ihnen. Vorgang {{vorgang}} bleibt bei uns offen, bis wir wissen, dass es angekommen ist.',
  },
  {
    team: null,
    title: 'Lob weitergegeben',
    body: 'wie schön, dass Sie sich die Zeit für ein Lob nehmen – das passiert seltener als eine Beschwerde und freut umso mehr. Wir haben es an die Kolleginnen und Kollegen weitergegeben. Die Kaffeeküche strahlt.',
  },
  {
    team: 'leitstelle',
    title: 'Rückfrage: Wo genau?',
    body: 'danke für Ihre Meldung! Damit unser Team nicht die halbe Stadt absuchen muss: Können Sie uns den Ort noch etwas genauer beschreiben – Hausnummer, Kreuzung oder ein Foto? Antworten Sie einfach auf diese E-Mail.',
  },
  {
    team: 'tiefbauamt',
    title: 'Laterne repariert',
    body: 'es werde Licht – und es ward Licht: Die Laterne aus Ihrer Meldung ({{kategorie}}) leuchtet wieder. Danke, dass Sie uns Bescheid gesagt haben; ohne Hinweise wie Ihren merken wir so etwas oft erst spät.',
  },
  {
    team: 'tiefbauamt',
    title: 'Schlagloch im Plan',
    body: 'das Schlagloch ist vermessen und steht auf dem Plan unseres Bautrupps. Wir rechnen mit der Reparatur bis {{frist}}. Bis dahin bitte vorsichtig fahren – es ist tiefer, als es aussieht.',
  },
  {
    team: 'innovationsmanagement',
    title: 'Danke für die Idee',
    body: 'danke für Ihre Idee! Genau solche Vorschläge bringen Musterstadt weiter. Wir prüfen, was es kostet, wer mitmachen müsste und ob es schon Ähnliches gibt, und melden uns bis {{frist}} mit einer ehrlichen Einschätzung – auch wenn sie „noch nicht“ lautet.',
  },
  {
    team: 'abfallwirtschaft',
    title: 'Müll abgeholt',
    body: 'der Müll ist weg! Unser Team war vor Ort und hat aufgeräumt. Wenn dort öfter etwas abgeladen wird, sagen Sie uns gern Bescheid – dann schauen wir genauer hin.',
  },
];

const signatures: Record<string, string> = {
  leitstelle: 'Leitstelle der Stadt {stadt}\nErreichbar Mo–Fr 7–19 Uhr, Tel. 0123 4567-0',
  tiefbauamt: 'Tiefbauamt der Stadt {stadt} – wir halten die Straßen in Schuss',
  innovationsmanagement: 'Innovationsmanagement der Stadt {stadt}\nIdeen willkommen, jederzeit',
};

export async function seedTemplates(tx: Tx, teamIds: ReadonlyMap<string, number>, townName: string): Promise<void> {
  const teamOf = (slug: string | null) => {
    if (slug === null) return null;
    const id = teamIds.get(slug);
    if (id === undefined) throw new Error(`demo templates name unknown team ${slug}`);
    return id;
  };
  await tx
    .insert(replyTemplates)
    .values(demoTemplates.map((t) => ({ teamId: teamOf(t.team), title: t.title, body: t.body.replaceAll('Musterstadt', townName) })));
  await tx.insert(teamSettings).values(
    Object.entries(signatures).map(([slug, text]) => ({
      teamId: teamOf(slug) as number,
      signature: text.replaceAll('{stadt}', townName),
    })),
  );
}
