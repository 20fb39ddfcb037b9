/**
 * DIN 5008 Form B on A4, in millimetres from the top-left corner of the sheet. The print view and
 * the PDF both place everything by these numbers, so the two come out alike and the address sits
 * in the window of a DL or C6/5 window envelope.
 */
export const A4 = { width: 210, height: 297 } as const;

export const DIN5008 = {
  /** Letterhead (Briefkopf) of Form B: the top 45 mm. */
  letterhead: { top: 10, left: 25, right: 20, height: 35 },
  /** The address field: 85 × 45 mm, 20 mm from the left, 45 mm from the top. */
  addressField: { top: 45, left: 20, width: 85, height: 45 },
  /** Inside it: the return address line (Rücksendeangabe) at the top, then the recipient (Anschriftzone). */
  returnLine: { top: 47, left: 25, width: 75 },
  recipient: { top: 62.7, left: 25, width: 75 },
  /** The information block (Informationsblock) right of the address field. */
  infoBlock: { top: 50, left: 125, width: 75 },
  /** Subject (Betreff), then the body in the text area: 25 mm left, 20 mm right margin. */
  subject: { top: 98.46 },
  text: { left: 25, right: 20, bottom: 20 },
  /** Pages after the first start here. */
  followingPageTop: 20,
  /** Fold marks at 105 and 210 mm (Form B), the hole mark at the middle of the sheet. */
  foldMarks: [105, 210],
  holeMark: 148.5,
  marks: { left: 3.5, foldLength: 5, holeLength: 7 },
} as const;

/** Points (the PDF unit, 1/72 inch) of a length in millimetres. */
export const pt = (mm: number) => (mm * 72) / 25.4;
