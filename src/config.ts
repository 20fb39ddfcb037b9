import { z } from 'zod';

/**
 * The one place that reads process.env. Every setting is validated here at start, so a wrong
 * value stops the server with a message that names the variable instead of failing later.
 */
const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'erwartet true oder false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** The German states by their ISO 3166-2 code; public holidays (SLA clocks) differ between them. */
export const bundeslaender = ['BB', 'BE', 'BW', 'BY', 'HB', 'HE', 'HH', 'MV', 'NI', 'NW', 'RP', 'SH', 'SL', 'SN', 'ST', 'TH'] as const;
export type Bundesland = (typeof bundeslaender)[number];

/** 32 bytes, written as base64 (44 characters) or as 64 hexadecimal characters. */
const secretKeyMessage =
  'muss 32 Byte lang sein, als Base64 (44 Zeichen) oder als 64 Hexadezimalzeichen, z. B. erzeugt mit: openssl rand -base64 32';
export const secretKeySchema = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const key = /^[0-9a-fA-F]{64}$/.test(v) ? Buffer.from(v, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(v) ? Buffer.from(v, 'base64') : null;
    if (key?.length === 32) return key;
    ctx.addIssue({ code: 'custom', message: secretKeyMessage });
    return z.NEVER;
  });

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce
    .number({ message: 'muss eine Zahl sein' })
    .int('muss eine ganze Zahl sein')
    .min(0, 'muss zwischen 0 und 65535 liegen')
    .max(65535, 'muss zwischen 0 und 65535 liegen')
    .default(3000),
  HOST: z.string().min(1, 'darf nicht leer sein').default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'muss mit postgres:// oder postgresql:// beginnen')
    .optional(),
  DATA_DIR: z.string().min(1, 'darf nicht leer sein').default('./data'),
  PUBLIC_URL: z.url({ message: 'muss eine vollständige URL sein, z. B. https://anliegen.musterstadt.de' }).optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'muss mit smtp:// oder smtps:// beginnen, z. B. smtp://user:pass@mail.example.org:587')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Musterstadt <anliegen@musterstadt.example>'),
  SESSION_SECRET: z.string().min(32, 'muss mindestens 32 Zeichen lang sein').optional(),
  SECRET_KEY: secretKeySchema.optional(),
  TOWN_NAME: z.string().min(1).default('Musterstadt'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO_DATA: booleanFromEnv.default(true),
  FEDIVERSE_ACTOR: z
    .string()
    .regex(/^[a-z0-9_]{1,30}$/, 'erwartet 1 bis 30 Kleinbuchstaben, Ziffern oder _, z. B. amtsblatt')
    .default('amtsblatt'),
  FEDIVERSE_ALLOW_PRIVATE_ADDRESSES: booleanFromEnv.default(false),
  MAX_PHOTO_MB: z.coerce.number().positive().max(50).default(10),
  MAP_TILE_URL: z.string().default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
  MAP_ATTRIBUTION: z.string().default('© OpenStreetMap-Mitwirkende'),
  MAP_CENTER: z
    .string()
    .regex(/^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/, 'erwartet "Breite,Länge", z. B. 47.66,9.17')
    .default('47.6633,9.1753'),
  TRUST_PROXY: booleanFromEnv.default(false),
  CLASSIFIER_MIN_CONFIDENCE: z.coerce
    .number({ message: 'muss eine Zahl zwischen 0 und 1 sein' })
    .min(0, 'muss zwischen 0 und 1 liegen')
    .max(1, 'muss zwischen 0 und 1 liegen')
    .optional(),
  REPORTS_PER_IP_PER_10MIN: z.coerce
    .number({ message: 'muss eine Zahl sein' })
    .int('muss eine ganze Zahl sein')
    .min(1, 'muss mindestens 1 sein')
    .default(30),
  MAP_REQUESTS_PER_IP_PER_MINUTE: z.coerce
    .number({ message: 'muss eine Zahl sein' })
    .int('muss eine ganze Zahl sein')
    .min(1, 'muss mindestens 1 sein')
    .default(120),
  LETTERHEAD_ADDRESS: z
    .string()
    // One line per row; in an env file, where a value cannot span lines, "\n" separates them.
    .transform((v) =>
      v
        .split(/\r?\n|\\n/)
        .map((l) => l.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.string().max(80, 'jede Zeile höchstens 80 Zeichen'))
        .min(2, 'erwartet mindestens zwei Zeilen (Name und Ort), getrennt durch Zeilenumbrüche oder \\n')
        .max(6, 'höchstens 6 Zeilen'),
    )
    .default(['Stadt Musterstadt', 'Bürgerservice', 'Marktstätte 1', '78462 Musterstadt']),
  LETTERHEAD_PHONE: z.string().trim().max(40, 'höchstens 40 Zeichen').default('07531 900-0'),
  LETTERHEAD_EMAIL: z
    .email({ message: 'muss eine E-Mail-Adresse sein, z. B. anliegen@musterstadt.de' })
    .default('anliegen@musterstadt.example'),
  MAIL_INTAKE: z.enum(['on', 'off'], { message: 'erwartet on oder off' }).default('on'),
  BUNDESLAND: z.enum(bundeslaender, { message: `erwartet das Kürzel eines Bundeslands: ${bundeslaender.join(', ')}` }).default('BW'),
});

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  publicUrl: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  sessionSecret: string | undefined;
  /** Encrypts stored passwords of channel accounts (AES-256-GCM); without it a key is kept in the data folder. */
  secretKey: Buffer | undefined;
  townName: string;
  logLevel: string;
  demoData: boolean;
  maxPhotoBytes: number;
  map: Readonly<{ tileUrl: string; attribution: string; center: readonly [number, number] }>;
  trustProxy: boolean;
  /** Web-form reports accepted per client address in ten minutes (a town hall terminal may need more). */
  reportsPerIpPer10Min: number;
  /** Map sections (GeoJSON bbox answers) served per client address in a minute. */
  mapRequestsPerIpPerMinute: number;
  /** Overrides the model's own routing threshold (chosen for 95 % precision by cross-validation). */
  classifierMinConfidence: number | undefined;
  /** Whose public holidays stop the SLA clocks. */
  bundesland: Bundesland;
  /** The sender of letters (DIN 5008 letterhead and return line), and how to reach the town. */
  letterhead: Readonly<{ lines: readonly string[]; phone: string; email: string }>;
  /** Fetch mail from the e-mail accounts (in the process that runs the jobs); off: no mailbox is touched. */
  mailIntake: boolean;
  /**
   * The town's own Fediverse actor: its user name (`@<actorName>@<host of PUBLIC_URL>`), and whether
   * it may talk to private addresses over plain HTTP (only for tests of two instances on loopback).
   */
  fediverse: Readonly<{ actorName: string; allowPrivateAddresses: boolean }>;
}>;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Die Konfiguration ist fehlerhaft:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Treat empty strings as unset: `PORT= npm start` should mean "default", not "invalid".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.SESSION_SECRET) {
    throw new ConfigError(['SESSION_SECRET: muss im Betrieb (NODE_ENV=production) gesetzt sein']);
  }
  if (e.NODE_ENV === 'production' && !e.SECRET_KEY) {
    throw new ConfigError([
      'SECRET_KEY: muss im Betrieb (NODE_ENV=production) gesetzt sein; damit werden die Passwörter der Postfächer verschlüsselt (erzeugen mit: openssl rand -base64 32)',
    ]);
  }
  const [lat, lon] = e.MAP_CENTER.split(',').map(Number) as [number, number];
  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    sessionSecret: e.SESSION_SECRET,
    secretKey: e.SECRET_KEY,
    townName: e.TOWN_NAME,
    logLevel: e.LOG_LEVEL,
    demoData: e.DEMO_DATA,
    maxPhotoBytes: Math.round(e.MAX_PHOTO_MB * 1024 * 1024),
    map: Object.freeze({ tileUrl: e.MAP_TILE_URL, attribution: e.MAP_ATTRIBUTION, center: [lat, lon] as const }),
    trustProxy: e.TRUST_PROXY,
    reportsPerIpPer10Min: e.REPORTS_PER_IP_PER_10MIN,
    mapRequestsPerIpPerMinute: e.MAP_REQUESTS_PER_IP_PER_MINUTE,
    classifierMinConfidence: e.CLASSIFIER_MIN_CONFIDENCE,
    bundesland: e.BUNDESLAND,
    letterhead: Object.freeze({ lines: Object.freeze(e.LETTERHEAD_ADDRESS), phone: e.LETTERHEAD_PHONE, email: e.LETTERHEAD_EMAIL }),
    mailIntake: e.MAIL_INTAKE === 'on',
    fediverse: Object.freeze({ actorName: e.FEDIVERSE_ACTOR, allowPrivateAddresses: e.FEDIVERSE_ALLOW_PRIVATE_ADDRESSES }),
  });
}
