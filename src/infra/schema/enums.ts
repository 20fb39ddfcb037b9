/** The value lists of the case columns, apart so that other tables can use them without an import cycle. */
export const caseTypes = ['defect', 'idea', 'complaint', 'question', 'praise'] as const;
export type CaseType = (typeof caseTypes)[number];

export const caseStatuses = ['new', 'in_progress', 'waiting', 'resolved', 'rejected', 'forwarded'] as const;
export type CaseStatus = (typeof caseStatuses)[number];

export const channels = [
  'web',
  'email',
  'phone',
  'fax',
  'walk_in',
  'letter',
  'mastodon',
  'fediverse',
  'bluesky',
  'telegram',
  'open311',
] as const;
export type ChannelName = (typeof channels)[number];

export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof priorities)[number];

/** How a category's reports become public (see categories.publication). */
export const publicationPolicies = ['auto', 'moderated', 'never'] as const;
export type PublicationPolicy = (typeof publicationPolicies)[number];

/** What a team does with a citizen's message to one of its closed cases. */
export const followupsAfterClose = ['reopen', 'new_case'] as const;
export type FollowupAfterClose = (typeof followupsAfterClose)[number];

/**
 * Who may see a message on a social network, in the network's own terms mapped to four levels:
 * public (anyone, listed), unlisted (anyone with the link), followers, direct (only those named).
 * An answer keeps the visibility of what it answers unless staff choose otherwise.
 */
export const visibilities = ['public', 'unlisted', 'followers', 'direct'] as const;
export type Visibility = (typeof visibilities)[number];
