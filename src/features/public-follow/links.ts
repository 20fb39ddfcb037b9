import { unsubscribeHeaders as oneClickHeaders } from '../../infra/opt-in.ts';
/** The links of the follow mails; the token in them is the only key to a subscription. */
export const confirmPath = (token: string) => `/benachrichtigungen/bestaetigen/${token}`;
export const unsubscribePath = (token: string) => `/benachrichtigungen/abmelden/${token}`;
export const caseLink = (publicUrl: string, number: string) => `${publicUrl}/meldungen/${encodeURIComponent(number)}`;

/** The RFC 8058 headers of a mail whose unsubscribe link carries `token`. */
export const unsubscribeHeaders = (publicUrl: string, token: string) => oneClickHeaders(`${publicUrl}${unsubscribePath(token)}`);
