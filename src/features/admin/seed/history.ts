import type { CaseType } from '../../../infra/schema/index.ts';
import { demoCategories, demoTownCore } from './musterstadt-data.ts';

/**
 * Last year's closed reports of the demo town, as a town would bring them over from its old
 * portal: enough history for the classifier to learn from on the first start, so the demo shows
 * what it does (suggestions on the case page, "durch Klassifikator" in the audit trail) instead of
 * "Noch kein Modell". Invented texts, generated deterministically from a few phrasings per category.
 */

const streets = [
  'Kirchgasse',
  'Hafenstraße',
  'Lindenallee',
  'Am Mühlbach',
  'Schulstraße',
  'Bahnhofplatz',
  'Seestraße',
  'Gartenweg',
  'Marktplatz',
  'Waldstraße',
  'Rosengasse',
  'Uferpromenade',
  'Industriestraße',
  'Kastanienweg',
  'Brunnenstraße',
];

/** `{ort}` becomes a street, `{n}` a house or lamp number. */
const phrasings: Record<string, string[]> = {
  strassenschaden: [
    'Schlagloch in der {ort}, ziemlich tief',
    'Der Asphalt in der {ort} bricht auf',
    'Tiefes Loch in der Fahrbahn, {ort} Höhe Nummer {n}',
    'Straßenbelag kaputt, {ort}',
    'Riss quer über die Straße in der {ort}',
    'Absenkung in der Fahrbahn vor {ort} {n}',
  ],
  gehweg: [
    'Gehwegplatten lose in der {ort}',
    'Stolperfalle auf dem Gehweg {ort} {n}',
    'Bordstein abgebrochen, {ort}',
    'Wurzeln heben die Gehwegplatten an ({ort})',
    'Pflaster auf dem Bürgersteig fehlt, {ort}',
    'Der Fußweg an der {ort} ist abgesackt',
  ],
  radweg: [
    'Radweg {ort}: Schlaglöcher',
    'Scherben auf dem Radweg in der {ort}',
    'Markierung des Radwegs kaum noch zu sehen ({ort})',
    'Radweg an der {ort} endet im Nichts, gefährlich',
    'Wurzelaufbrüche auf dem Radweg {ort}',
    'Radfahrstreifen {ort} beschädigt',
  ],
  strassenbeleuchtung: [
    'Laterne vor {ort} {n} ist aus',
    'Straßenlampe in der {ort} flackert',
    'Beleuchtung in der {ort} komplett dunkel',
    'Lampe Nr. {n} in der {ort} defekt',
    'Straßenlaterne brennt tagsüber, {ort}',
    'Laternenmast in der {ort} steht schief',
  ],
  ampel: [
    'Ampel an der Kreuzung {ort} fällt aus',
    'Fußgängerampel {ort} bleibt immer rot',
    'Ampel {ort} blinkt nur gelb',
    'Ampeltaster an der {ort} reagiert nicht',
    'Grünphase der Ampel {ort} viel zu kurz',
    'Signalgeber der Ampel {ort} verdreht',
  ],
  verkehrszeichen: [
    'Verkehrsschild in der {ort} umgefahren',
    'Stoppschild {ort} zugewachsen',
    'Schild an der {ort} verdreht',
    'Tempo-30-Schild fehlt in der {ort}',
    'Verkehrszeichen an der {ort} beschmiert und unlesbar',
    'Umleitungsschild {ort} steht noch, die Baustelle ist längst weg',
  ],
  gully: [
    'Gully in der {ort} verstopft, Wasser steht',
    'Straßenablauf {ort} riecht stark',
    'Gullydeckel klappert in der {ort}',
    'Kanaldeckel {ort} abgesackt',
    'Regenwasser läuft nicht ab, {ort}',
    'Laub verstopft den Abfluss in der {ort}',
  ],
  'illegaler-muell': [
    'Sperrmüll illegal abgestellt in der {ort}',
    'Müllsäcke am Straßenrand {ort}',
    'Jemand hat Bauschutt in der {ort} abgeladen',
    'Alte Matratze und Sofa in der {ort}',
    'Autoreifen im Gebüsch an der {ort}',
    'Wilde Müllkippe hinter {ort} {n}',
  ],
  muelleimer: [
    'Mülleimer an der {ort} quillt über',
    'Papierkorb {ort} voll, Müll fliegt herum',
    'Abfalleimer an der Haltestelle {ort} überfüllt',
    'Mülleimer {ort} seit Tagen nicht geleert',
    'Krähen verteilen den Müll aus dem vollen Eimer, {ort}',
    'Der Mülleimer an der {ort} ist abgerissen',
  ],
  graffiti: [
    'Graffiti an der Hauswand {ort} {n}',
    'Schmiererei am Brückenpfeiler {ort}',
    'Hakenkreuz an die Bushaltestelle {ort} gesprüht',
    'Tags an der Schule in der {ort}',
    'Farbschmierereien am Stromkasten {ort}',
    'Graffiti auf dem Denkmal in der {ort}',
  ],
  hundekot: [
    'Viel Hundekot auf dem Gehweg {ort}',
    'Hundehaufen überall an der {ort}',
    'Tütenspender für Hundekot {ort} leer',
    'Spielwiese an der {ort} voller Hundekot',
    'Hundekotbeutel liegen im Gebüsch {ort}',
    'Hundeklo vor dem Kindergarten {ort}',
  ],
  container: [
    'Altglascontainer {ort} voll, Flaschen stehen daneben',
    'Altkleidercontainer an der {ort} überfüllt',
    'Glascontainer {ort}: Scherben rundherum',
    'Container in der {ort} beschmiert',
    'Neben den Containern an der {ort} stapelt sich Müll',
    'Altkleidercontainer {ort} aufgebrochen',
  ],
  baum: [
    'Ast hängt abgebrochen über dem Weg, {ort}',
    'Baum in der {ort} droht umzustürzen',
    'Hecke ragt weit auf den Gehweg {ort}',
    'Äste verdecken die Laterne in der {ort}',
    'Sturmschaden: Baum liegt quer, {ort}',
    'Baumscheibe {ort} vermüllt, Baum vertrocknet',
  ],
  gruenflaeche: [
    'Rasen im Park an der {ort} seit Wochen nicht gemäht',
    'Parkbank an der {ort} kaputt',
    'Beet an der {ort} verwildert',
    'Wege im Park {ort} matschig, große Pfützen',
    'Brennnesseln überwuchern den Park {ort}',
    'Bewässerung im Park {ort} läuft dauernd',
  ],
  spielplatz: [
    'Schaukel auf dem Spielplatz {ort} kaputt',
    'Scherben im Sandkasten {ort}',
    'Rutsche am Spielplatz {ort} hat eine scharfe Kante',
    'Klettergerüst {ort} wackelt',
    'Spielplatz {ort}: Zaun kaputt, Hunde laufen rein',
    'Wippe auf dem Spielplatz an der {ort} abgebrochen',
  ],
  friedhof: [
    'Friedhof {ort}: Wasserhahn tropft',
    'Weg auf dem Friedhof {ort} uneben',
    'Gießkannen am Friedhof {ort} fehlen',
    'Abfalltonne am Friedhof {ort} voll',
    'Friedhofsmauer {ort} bröckelt',
    'Tor zum Friedhof {ort} klemmt',
  ],
  falschparker: [
    'Auto parkt auf dem Gehweg {ort}, kein Durchkommen mit dem Kinderwagen',
    'Falschparker in der Feuerwehrzufahrt {ort}',
    'Jeden Morgen wird auf dem Radweg {ort} geparkt',
    'Wagen blockiert die Einfahrt {ort} {n}',
    'Lkw parkt im Halteverbot {ort}',
    'Behindertenparkplatz {ort} ohne Ausweis belegt',
  ],
  schrottfahrzeug: [
    'Schrottrad seit Monaten am {ort}',
    'Auto ohne Kennzeichen in der {ort} abgestellt',
    'Fahrradleiche am Geländer {ort}',
    'Anhänger steht seit Wochen in der {ort}',
    'Abgemeldetes Fahrzeug in der {ort}, Reifen platt',
    'Ausgeschlachtetes Fahrrad an der {ort}',
  ],
  laerm: [
    'Nachts laute Musik in der {ort}',
    'Lärm von der Baustelle {ort} schon um 6 Uhr',
    'Laubbläser am Sonntag in der {ort}',
    'Party im Park an der {ort} bis 3 Uhr',
    'Dauerhupen vor {ort} {n}',
    'Laute Motorräder jede Nacht auf der {ort}',
  ],
  'hinweis-idee': [
    'Idee: ein Trinkbrunnen an der {ort}',
    'Vorschlag: mehr Fahrradständer an der {ort}',
    'Wie wäre eine Bank an der {ort}?',
    'Idee: Blühwiese statt Rasen an der {ort}',
    'Vorschlag: ein Zebrastreifen an der {ort} für die Schulkinder',
    'Ein offener Bücherschrank an der {ort} wäre schön',
  ],
  sonstiges: [
    'Wer ist zuständig für den Brunnen an der {ort}?',
    'Frage zur Straßenreinigung in der {ort}',
    'Warum wird die {ort} schon wieder aufgerissen?',
    'Tauben nisten am {ort}, alles voller Kot',
    'Wespennest in der Bushaltestelle {ort}',
    'Wasser sprudelt aus dem Boden in der {ort}',
  ],
};

const typeOf: Record<string, CaseType> = {
  'hinweis-idee': 'idea',
  falschparker: 'complaint',
  laerm: 'complaint',
  sonstiges: 'question',
};

export interface HistoricCase {
  category: string;
  team: string;
  type: CaseType;
  text: string;
  street: string;
  lat: number;
  lon: number;
  daysAgo: number;
  daysOpen: number;
  rejected: boolean;
}

/** Cases per category: about 250 in all, a little more where towns get more reports. */
const PER_CATEGORY = 12;

/** A small deterministic generator (LCG), so every demo town has the same history. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

export function historicCases(): HistoricCase[] {
  const next = random(20_261_126);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const out: HistoricCase[] = [];
  for (const category of demoCategories) {
    const texts = phrasings[category.slug];
    if (!texts) throw new Error(`history has no phrasings for category ${category.slug}`);
    for (let i = 0; i < PER_CATEGORY; i++) {
      const street = pick(streets);
      out.push({
        category: category.slug,
        team: category.team,
        type: typeOf[category.slug] ?? 'defect',
        text: (texts[i % texts.length] as string).replaceAll('{ort}', street).replaceAll('{n}', String(1 + Math.floor(next() * 60))),
        street,
        lat: demoTownCore.south + next() * (demoTownCore.north - demoTownCore.south),
        lon: demoTownCore.west + next() * (demoTownCore.east - demoTownCore.west),
        // Last year: from two months to a year ago, open for one to twenty days.
        daysAgo: 60 + Math.floor(next() * 300),
        daysOpen: 1 + Math.floor(next() * 20),
        rejected: next() < 0.08,
      });
    }
  }
  return out;
}
