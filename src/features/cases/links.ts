/** The citizen's private link to their case (sent in every mail, shown on the thank-you page). */
export const trackingUrl = (publicUrl: string, token: string) => `${publicUrl}/verfolgen/${token}`;
