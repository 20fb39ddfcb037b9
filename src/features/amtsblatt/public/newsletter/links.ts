import { unsubscribeHeaders as oneClickHeaders } from '../../../../infra/opt-in.ts';
/** The links of the newsletter mails; the token in them is the only key to a subscription. */
export const confirmPath = (token: string) => `/amtsblatt/newsletter/bestaetigen/${token}`;
export const unsubscribePath = (token: string) => `/amtsblatt/newsletter/abmelden/${token}`;

/** The RFC 8058 headers of a mail whose unsubscribe link carries `token`. */
export const unsubscribeHeaders = (publicUrl: string, token: string) => oneClickHeaders(`${publicUrl}${unsubscribePath(token)}`);
