/**
 * Personal data in input files: mainland ID-card numbers (18 characters, GB 11643: 17 digits and
 * a check character) are recognised by their check digit, so that a column holding them can be
 * left out and no reason or warning ever shows one. Portable: no Node APIs.
 */

/** The weights of the 17 digits (2^(17−i) mod 11) and the check character for each remainder. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** Whether `text` (trimmed) is an 18-character ID-card number with a valid check character. */
export function isIdCardNumber(text: string): boolean {
  const t = text.trim();
  if (!/^\d{17}[\dXx]$/.test(t)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (t.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK[sum % 11] === t[17]!.toUpperCase();
}

/** What an ID-card number is shown as. */
export const ID_MASK = '[身份证号 ID number]';

/**
 * `text` with every ID-card number in it (18 characters with a valid check character, not part
 * of a longer run of digits) replaced by {@link ID_MASK}.
 */
export function maskIdNumbers(text: string): string {
  if (!/\d{17}[\dXx]/.test(text)) return text;
  return text.replace(/(?<!\d)\d{17}[\dXx](?![\dXx])/g, (m) => (isIdCardNumber(m) ? ID_MASK : m));
}
