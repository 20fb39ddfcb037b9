import { closedPublicStatuses, type PublicCase, type PublicCaseUpdate, publicStatusLabels } from '../transparency/projection/read.ts';
import type { Value } from './format.ts';
import { w3 } from './w3-date.ts';

/**
 * Public cases as GeoReport v2 requests. Everything here comes from the public projection, which
 * holds nothing personal: no reporter, contact, staff name or internal note can reach a response.
 */

export const open311Status = (c: Pick<PublicCase, 'status'>): 'open' | 'closed' =>
  closedPublicStatuses.includes(c.status) ? 'closed' : 'open';

/** Why the case stands where it stands, in the words staff wrote for the public. */
function statusNotes(c: PublicCase): string | null {
  if (c.statusNote) return c.statusNote;
  if (c.status === 'not_responsible' && c.forwardedTo) return `Nicht zuständig – weitergeleitet an ${c.forwardedTo}.`;
  if (c.status === 'duplicate' && c.duplicateOfNumber) return `Duplikat von ${c.duplicateOfNumber}.`;
  return null;
}

export const mediaUrl = (publicUrl: string, number: string, photoId: number) =>
  `${publicUrl}/georeport/v2/media/${encodeURIComponent(number)}/${photoId}`;

export function requestOf(c: PublicCase, publicUrl: string): Record<string, Value> {
  const firstPhoto = c.photoIds[0];
  return {
    service_request_id: c.number,
    status: open311Status(c),
    status_notes: statusNotes(c),
    service_name: c.categoryName,
    service_code: c.categorySlug,
    description: c.text,
    agency_responsible: c.teamName,
    service_notice: null,
    requested_datetime: w3(c.reportedAt),
    updated_datetime: w3(c.updatedAt),
    expected_datetime: null,
    address: c.locationText,
    address_id: null,
    zipcode: null,
    lat: c.lat,
    long: c.lon,
    media_url: firstPhoto === undefined ? null : mediaUrl(publicUrl, c.number, firstPhoto),
  };
}

/** extensions=true: the German status, the public history and every released photo. */
export function extendedRequestOf(c: PublicCase, updates: PublicCaseUpdate[], publicUrl: string): Record<string, Value> {
  return {
    ...requestOf(c, publicUrl),
    extended_attributes: {
      status_descriptive_name: publicStatusLabels[c.status],
      district: c.districtName,
      closed_datetime: c.closedAt ? w3(c.closedAt) : null,
      duplicate_of: c.duplicateOfNumber,
      follower_count: c.followerCount,
      status_notes: updates.map((u) => ({
        status: open311Status(u),
        status_descriptive_name: publicStatusLabels[u.status],
        text: u.text,
        updated_datetime: w3(u.createdAt),
      })),
      media_urls: c.photoIds.map((id) => mediaUrl(publicUrl, c.number, id)),
    },
  };
}

/** FixMyStreet's states for an update (its extension of Open311), from our public statuses. */
const fixMyStreetStates: Record<PublicCase['status'], string> = {
  new: 'OPEN',
  reviewing: 'INVESTIGATING',
  in_progress: 'IN_PROGRESS',
  resolved: 'FIXED',
  not_responsible: 'NOT_COUNCILS_RESPONSIBILITY',
  rejected: 'NO_FURTHER_ACTION',
  duplicate: 'DUPLICATE',
};

export function updateOf(u: {
  id: number;
  number: string;
  status: PublicCase['status'];
  text: string | null;
  createdAt: Date;
}): Record<string, Value> {
  return {
    update_id: String(u.id),
    service_request_id: u.number,
    status: fixMyStreetStates[u.status],
    updated_datetime: w3(u.createdAt),
    description: u.text ?? `Status: ${publicStatusLabels[u.status]}`,
    media_url: null,
  };
}
