/** The links of the newsletter mails; the token in them is the only key to a subscription. */
export const confirmPath = (token: string) => `/amtsblatt/newsletter/bestaetigen/${token}`;
export const unsubscribePath = (token: string) => `/amtsblatt/newsletter/abmelden/${token}`;

/** 32 characters of base64url (24 random bytes); anything else need not reach the database. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;

/** RFC 8058 one-click unsubscribe: the mail program POSTs `List-Unsubscribe=One-Click` to this URL. */
export function unsubscribeHeaders(publicUrl: string, token: string) {
  return {
    'List-Unsubscribe': `<${publicUrl}${unsubscribePath(token)}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  } as const;
}
