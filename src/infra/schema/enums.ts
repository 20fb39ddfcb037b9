/** The value lists of the case columns, apart so that other tables can use them without an import cycle. */
export const caseTypes = ['defect', 'idea', 'complaint', 'question', 'praise'] as const;
export type CaseType = (typeof caseTypes)[number];

export const caseStatuses = ['new', 'in_progress', 'waiting', 'resolved', 'rejected', 'forwarded'] as const;
export type CaseStatus = (typeof caseStatuses)[number];

export const channels = ['web', 'email', 'phone', 'fax', 'walk_in', 'letter', 'mastodon', 'bluesky', 'telegram'] as const;
export type ChannelName = (typeof channels)[number];

export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof priorities)[number];
