import { DateTime } from 'luxon';
import type { Tx } from '../../../infra/db.ts';
import {
  amtsblattRoles,
  noticeCounters,
  type PostKind,
  type PostStatus,
  portraitConsents,
  postEvents,
  posts,
  postTargets,
} from '../../../infra/schema/index.ts';
import { contentSha256 } from './publish.ts';

const DAY = 24 * 60 * 60_000;

interface DemoPost {
  kind: PostKind;
  status: PostStatus;
  /** Days from now: negative in the past (published), positive ahead (scheduled). */
  day: number;
  title: string;
  body: string;
  tags: string[];
  extra?: Partial<typeof posts.$inferInsert>;
}

const demoPosts: DemoPost[] = [
  {
    kind: 'news',
    status: 'published',
    day: -26,
    title: 'Neue Spielgeräte im Stadtgarten',
    body: 'Seit heute stehen im Stadtgarten eine **Nestschaukel** und ein Kletterturm. Viel Spaß beim Ausprobieren!',
    tags: ['Stadtgarten', 'Familie'],
  },
  {
    kind: 'notice',
    status: 'published',
    day: -21,
    title: 'Öffentliche Bekanntmachung: Sitzung des Gemeinderats am 12. des Monats',
    body: 'Der Gemeinderat tritt am 12. um 18 Uhr im Ratssaal zu einer öffentlichen Sitzung zusammen.\n\nTagesordnung:\n\n1. Fragen der Einwohnerinnen und Einwohner\n2. Bebauungsplan „Am Mühlbach“\n3. Verschiedenes',
    tags: ['Gemeinderat'],
  },
  {
    kind: 'council',
    status: 'published',
    day: -17,
    title: 'Vorlage erklärt: Was der Bebauungsplan „Am Mühlbach“ bedeutet',
    body: 'Am Mühlbach sollen 40 Wohnungen entstehen, davon ein Drittel gefördert. Was heißt das für die Nachbarschaft? Mehr Verkehr in der Mühlstraße, dafür ein neuer Fußweg zum Bach.',
    tags: ['Bauen', 'Gemeinderat'],
    extra: {
      councilDocumentName: 'Vorlage 2026/041 Bebauungsplan „Am Mühlbach“',
      councilDocumentUrl: 'https://ratsinfo.musterstadt.example/vorlagen/2026-041',
    },
  },
  {
    kind: 'rule',
    status: 'published',
    day: -12,
    title: 'Neue Regel erklärt: Die Biotonne nimmt keine „kompostierbaren“ Plastiktüten mehr',
    body: 'Ab dem nächsten Monat gehören Bioplastik-Tüten in den Restmüll. Der Grund: Sie zerfallen in der Anlage zu langsam. Zeitungspapier ist die gute Alternative.',
    tags: ['Abfall'],
  },
  {
    kind: 'portrait',
    status: 'published',
    day: -8,
    title: 'Wir stellen vor: Lena Vogt vom Grünflächenamt',
    body: 'Lena Vogt kümmert sich seit zwölf Jahren um die Bäume der Stadt. Ihr Lieblingsbaum? „Die alte Linde am Markt – die hat mehr erlebt als wir alle.“',
    tags: ['Menschen'],
  },
  {
    kind: 'event',
    status: 'published',
    day: -4,
    title: 'Herbstmarkt auf der Marktstätte',
    body: 'Regionale Erzeuger, Musik und Kinderprogramm: Kommen Sie vorbei!',
    tags: ['Markt', 'Veranstaltung'],
    extra: { eventPlace: 'Marktstätte' },
  },
  {
    kind: 'news',
    status: 'review',
    day: 0,
    title: 'Sperrung der Rheinbrücke für Radfahrende am Wochenende',
    body: 'Wegen Arbeiten am Geländer ist der Radweg der Rheinbrücke von Samstag 7 Uhr bis Sonntag 18 Uhr gesperrt. Eine Umleitung ist ausgeschildert.',
    tags: ['Verkehr', 'Baustelle'],
  },
  {
    kind: 'notice',
    status: 'review',
    day: 0,
    title: 'Öffentliche Bekanntmachung: Auslegung des Haushaltsplans',
    body: 'Der Entwurf des Haushaltsplans liegt vom 1. bis 14. des kommenden Monats im Bürgerbüro zur Einsicht aus.',
    tags: ['Haushalt'],
  },
  {
    kind: 'event',
    status: 'scheduled',
    day: 2,
    title: 'Bürgersprechstunde mit der Oberbürgermeisterin',
    body: 'Kommen Sie mit Ihren Fragen ins Rathaus – ohne Anmeldung.',
    tags: ['Rathaus'],
    extra: { eventPlace: 'Rathaus, Zimmer 101' },
  },
  {
    kind: 'news',
    status: 'scheduled',
    day: 5,
    title: 'Winterdienst: So räumt die Stadt',
    body: 'Zuerst die Hauptstraßen und Buslinien, dann Schulwege, zuletzt die Wohnstraßen. Gehwege vor dem eigenen Haus räumen die Anliegerinnen und Anlieger.',
    tags: ['Winter'],
  },
  {
    kind: 'news',
    status: 'draft',
    day: 0,
    title: 'Entwurf: Neue Öffnungszeiten der Stadtbibliothek',
    body: 'Ab Januar auch donnerstags bis 20 Uhr.',
    tags: ['Bibliothek'],
  },
];

/** A few weeks of Amtsblatt posts for Musterstadt, the desk roles of the demo editor and approver. */
export async function seedDemoPosts(
  tx: Tx,
  now: Date,
  ids: { editor: number; approver: number; recorder: number },
  publicUrl: string,
): Promise<void> {
  await tx.insert(amtsblattRoles).values([
    { userId: ids.editor, role: 'editor' },
    { userId: ids.approver, role: 'approver' },
  ]);
  const [consent] = await tx
    .insert(portraitConsents)
    .values({
      personName: 'Lena Vogt',
      note: 'schriftlich, liegt im Personalamt',
      grantedAt: new Date(now.getTime() - 30 * DAY),
      recordedById: ids.recorder,
    })
    .returning({ id: portraitConsents.id });
  const counters = new Map<number, number>();
  for (const [i, p] of demoPosts.entries()) {
    const at = new Date(now.getTime() + p.day * DAY);
    at.setUTCHours(p.day > 0 ? 8 : 7, 0, 0, 0);
    const published = p.status === 'published';
    const approved = published || p.status === 'scheduled';
    const year = DateTime.fromJSDate(at, { zone: 'Europe/Berlin' }).year;
    const numbered = published && p.kind === 'notice';
    if (numbered) counters.set(year, (counters.get(year) ?? 0) + 1);
    const notice = numbered ? { noticeYear: year, noticeNumber: counters.get(year), contentSha256: contentSha256(p, at) } : {};
    const [row] = await tx
      .insert(posts)
      .values({
        slug: `demo-${i + 1}`,
        kind: p.kind,
        status: p.status,
        title: p.title,
        body: p.body,
        tags: p.tags,
        authorId: ids.editor,
        approvedById: approved ? ids.approver : null,
        approvedAt: approved ? new Date(at.getTime() - DAY) : null,
        scheduledAt: p.status === 'scheduled' || published ? at : null,
        publishedAt: published ? at : null,
        eventStartsAt: p.kind === 'event' ? new Date(at.getTime() + 7 * DAY) : null,
        portraitConsentId: p.kind === 'portrait' ? (consent?.id ?? null) : null,
        createdAt: new Date(at.getTime() - 2 * DAY),
        updatedAt: at,
        ...p.extra,
        ...notice,
      })
      .returning({ id: posts.id });
    if (!row) continue;
    const slug = `${i + 1}`;
    await tx.insert(postTargets).values([
      {
        postId: row.id,
        target: 'website',
        text: '',
        status: published ? 'published' : p.status === 'scheduled' ? 'scheduled' : 'pending',
        publishedAt: published ? at : null,
        publicUrl: published ? `${publicUrl}/amtsblatt/demo-${slug}` : null,
      },
      {
        postId: row.id,
        target: 'newsletter',
        text: '',
        status: published ? 'published' : p.status === 'scheduled' ? 'scheduled' : 'pending',
        publishedAt: published ? at : null,
      },
    ]);
    await tx
      .insert(postEvents)
      .values({ postId: row.id, actorUserId: ids.editor, action: 'created', at: new Date(at.getTime() - 2 * DAY) });
    if (approved)
      await tx
        .insert(postEvents)
        .values({ postId: row.id, actorUserId: ids.approver, action: 'approved', at: new Date(at.getTime() - DAY) });
    if (published) await tx.insert(postEvents).values({ postId: row.id, actorUserId: null, action: 'published', at });
  }
  for (const [year, lastNumber] of counters) await tx.insert(noticeCounters).values({ year, lastNumber });
}
