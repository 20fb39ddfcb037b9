import { cleanText, oneLine } from '../../../infra/text-input.ts';

/**
 * What a file is, by its name and by its first bytes. A mail's declared type and name are the
 * sender's word; an attacker names "rechnung.exe" "foto.jpg" and declares image/jpeg.
 */

/** Extensions Windows, macOS, Linux or Android run or mount on a double click, and macro-enabled Office files. */
const DANGEROUS_EXTENSIONS = new Set(
  (
    'exe dll bat cmd com scr pif cpl msi msp msc js jse vbs vbe wsf wsh ws hta ps1 psm1 psd1 jar apk app appx msix ' +
    'sh bash csh ksh command lnk url scf reg inf iso img vhd vhdx dmg pkg deb rpm gadget chm xll iqy slk ' +
    'docm dotm xlsm xltm xlam pptm potm ppsm ppam sldm one'
  ).split(' '),
);

/** The extension as Windows would see it: trailing dots and spaces do not count ("x.exe." runs). */
export function extensionOf(filename: string): string {
  const name = filename.replace(/[.\s]+$/, '');
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

export function hasDangerousExtension(filename: string): boolean {
  return DANGEROUS_EXTENSIONS.has(extensionOf(filename));
}

/** Only the last path part, no control or bidi characters, no characters Windows forbids, at most 150 characters. */
export function safeFilename(declared: string | undefined, index: number): string {
  const base = oneLine(cleanText(declared ?? ''))
    .split(/[/\\]/)
    .pop()
    ?.replace(/[<>:"|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim();
  if (!base) return `anhang-${index + 1}.bin`;
  if (base.length <= 150) return base;
  const ext = extensionOf(base);
  return ext && ext.length < 10 ? `${base.slice(0, 149 - ext.length)}.${ext}` : base.slice(0, 150);
}

/** Programs by their headers: Windows PE, ELF, Mach-O, scripts with a shebang, Windows shortcuts. */
export function looksExecutable(data: Buffer): boolean {
  if (data.length >= 2 && data[0] === 0x4d && data[1] === 0x5a) {
    // "MZ" alone could start a text; a real program has the PE header where offset 0x3C points, or the classic DOS stub bytes.
    const pe = data.length >= 0x40 ? data.readUInt32LE(0x3c) : -1;
    if (pe > 0 && pe + 4 <= data.length && data.toString('latin1', pe, pe + 4) === 'PE\0\0') return true;
    if (data.length >= 4 && data[2] === 0x90 && data[3] === 0x00) return true;
  }
  if (data.length >= 4 && data.toString('latin1', 0, 4) === '\x7fELF') return true;
  if (data.length >= 4 && [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe].includes(data.readUInt32BE(0))) return true;
  if (data.length >= 2 && data[0] === 0x23 && data[1] === 0x21) return true;
  if (data.length >= 8 && data.readUInt32LE(0) === 0x4c && data.readUInt32LE(4) === 0x00021401) return true;
  return false;
}

export function looksLikePdf(data: Buffer): boolean {
  // The PDF specification lets the header start anywhere in the first 1024 bytes.
  return data.subarray(0, 1024).includes('%PDF-');
}

const MAX_ZIP_ENTRIES = 5000;

/**
 * The names in a ZIP's central directory, or null when it is no ZIP (or not one we can read
 * cheaply). Reading only the directory at the end costs microseconds and no unpacking.
 */
export function zipEntryNames(data: Buffer): string[] | null {
  if (data.length < 22 || data.readUInt32LE(0) !== 0x04034b50) return null;
  const from = Math.max(0, data.length - 65_557);
  const eocd = data.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < from || eocd + 22 > data.length) return null;
  const count = Math.min(data.readUInt16LE(eocd + 10), MAX_ZIP_ENTRIES);
  let at = data.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== 0x02014b50) return names;
    const nameLength = data.readUInt16LE(at + 28);
    names.push(data.toString('utf8', at + 46, Math.min(data.length, at + 46 + nameLength)));
    at += 46 + nameLength + data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32);
  }
  return names;
}

/** A ZIP that holds a program, or an Office file that holds macros (vbaProject.bin) whatever its name says. */
export function zipHidesDanger(data: Buffer): boolean {
  const names = zipEntryNames(data);
  return !!names?.some((n) => hasDangerousExtension(n) || /(^|\/)vbaProject\.bin$/i.test(n));
}
