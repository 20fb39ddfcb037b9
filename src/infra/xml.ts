/**
 * Characters XML 1.0 cannot carry at all (C0 controls except tab and line breaks, U+FFFE/U+FFFF,
 * lone surrogates). Intake refuses control characters already; this keeps a document well-formed
 * whatever a stored value holds. Every XML the app writes (Open311, the Atom feeds) passes its
 * text through here.
 */
const XML_UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
export const xmlSafe = (s: string): string => s.replace(XML_UNSAFE, '');
