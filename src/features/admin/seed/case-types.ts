import type { CaseStatus, CaseType, Priority } from '../../../infra/schema/index.ts';
import type { DemoTeamSlug, DemoUserKey } from './musterstadt-data.ts';

/**
 * The shape of the demo town's citizen concerns and of what staff did with them. Invented
 * texts; `{stadt}` stands for the configured town name. Reporters use @example.org addresses, so
 * the acknowledgement and reply mails the seed causes reach nobody (without SMTP they only land as
 * .eml files in the data folder's outbox).
 */

export type DemoChannel = 'web' | 'email' | 'phone' | 'fax' | 'walk_in';

/** One thing a staff member did, some hours after the case came in. */
export type DemoStep = { after: number; by: DemoUserKey } & (
  | { do: 'assign' }
  | { do: 'priority'; priority: Priority }
  | { do: 'note'; text: string }
  | { do: 'reply'; text: string }
  | { do: 'status'; status: Exclude<CaseStatus, 'new'>; reason?: string }
  /** Hands the case to another team of the town, as "Team ändern" does (the old team keeps reading it). */
  | { do: 'forward'; to: DemoTeamSlug }
);

export interface DemoCase {
  daysAgo: number;
  hour: number;
  channel: DemoChannel;
  type: CaseType;
  category: string | null;
  text: string;
  place: { street: string; lat: number; lon: number } | null;
  reporter: { name: string | null; email: string | null } | null;
  steps: DemoStep[];
}

/** A place in the demo town: street for people, coordinates for the map and the district. */
export const at = (street: string, lat: number, lon: number) => ({ street, lat, lon });
export const who = (name: string | null, email: string | null = null) => ({ name, email });
