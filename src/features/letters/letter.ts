/** Everything a letter shows; the renderer knows nothing about cases or the database. */
export interface LetterInput {
  letterhead: { lines: string[]; phone: string; email: string };
  recipient: { name: string; lines: string[] };
  date: Date;
  subject: string;
  caseNumber: string;
  body: string;
  signer: { name: string; team: string | null };
}

/** The letter cut into what both renderers lay out. */
export interface LetterParts {
  letterhead: string[];
  returnLine: string;
  recipient: string[];
  info: [label: string, value: string][];
  subject: string;
  salutation: string | null;
  paragraphs: string[];
  closing: string | null;
  signature: string[];
}

const germanDate = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', day: '2-digit', month: '2-digit', year: 'numeric' });

/** A reply that already greets ("Sehr geehrte …,", "Guten Tag …,") gets no second salutation. */
const GREETING = /^(sehr geehrte|guten tag|hallo|liebe|lieber|moin|grüß gott)\b[^\n]*,?\s*$/i;
/** A reply that already closes ("Mit freundlichen Grüßen", a team signature) gets no second closing. */
const CLOSING = /\n\s*(mit freundlichen grüßen|freundliche grüße|viele grüße|beste grüße)/i;

export function letterParts(input: LetterInput): LetterParts {
  const body = input.body.replace(/\r\n?/g, '\n').trim();
  const [firstLine = '', ...rest] = body.split('\n');
  const greets = GREETING.test(firstLine.trim());
  const closes = CLOSING.test(`\n${body}`);
  const text = greets ? rest.join('\n').trim() : body;
  const name = input.recipient.name.trim();
  const contact = [
    ['Ihr/Unser Zeichen', input.caseNumber],
    ['Ansprechpartner', input.signer.name],
    ...(input.signer.team ? [['Team', input.signer.team]] : []),
    ['Telefon', input.letterhead.phone],
    ['E-Mail', input.letterhead.email],
    ['Datum', germanDate.format(input.date)],
  ] as [string, string][];
  return {
    letterhead: input.letterhead.lines,
    returnLine: input.letterhead.lines.join(' · '),
    recipient: [name, ...input.recipient.lines].filter((l) => l.trim() !== ''),
    info: contact.filter(([, v]) => v.trim() !== ''),
    subject: input.subject,
    salutation: greets ? firstLine.trim() : name ? `Guten Tag ${name},` : 'Sehr geehrte Damen und Herren,',
    paragraphs: text
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter(Boolean),
    closing: closes ? null : 'Mit freundlichen Grüßen',
    signature: closes ? [] : [input.signer.name, ...(input.signer.team ? [input.signer.team] : [])],
  };
}
