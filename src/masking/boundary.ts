/**
 * What separates one token from the next, in one place: the catalogue's regexes (as lookbehind
 * fragments), the tenant memory's matcher, the surrogate grammar and the restorers all use it.
 * A value starts a token when what precedes it is not an ASCII letter or digit, or is the end
 * of an escape that stands for a separator: JSON's `\n`, `\t`, `\r`, `\"`, `\\`, `\/`, `\b`,
 * `\f`, a `\uXXXX`, or a URL's `%XX` (or `%25XX`, encoded twice). Tool output is often JSON inside a string, and URLs are
 * percent-encoded, so the letter right before a value is often the `n` of `\n` or the `F` of
 * `%2F`. `_` separates too: `backup_i-07e1…` holds an instance ID, and its masked form
 * `backup_AWS_EC2_001` is read back by the surrogate grammar (surrogate-grammar.ts), whose
 * bounded segments keep a run of `AWS_AWS_…` linear.
 */

/** Lookbehind: the position follows an escape that stands for a separator. */
export const AFTER_ESCAPE = String.raw`(?<=\\[ntrbf"\\/]|\\u[0-9A-Fa-f]{4}|%(?:25)?[0-9A-Fa-f]{2})`;

/** Lookbehind: a token starts here (no word character before, or an escape). */
export const TOKEN_START = `(?:(?<![A-Za-z0-9])|${AFTER_ESCAPE})`;

/** Lookahead: a token ends here. */
export const TOKEN_END = "(?![A-Za-z0-9])";

const HEX = new Uint8Array(128);
for (const c of "0123456789abcdefABCDEF") HEX[c.charCodeAt(0)] = 1;
const ESCAPED_SEPARATOR = new Uint8Array(128);
for (const c of 'ntrbf"\\/') ESCAPED_SEPARATOR[c.charCodeAt(0)] = 1;

/** An ASCII letter or digit: the characters a token is made of. */
export function isTokenCode(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

const isHex = (code: number) => code < 128 && HEX[code] === 1;

/** Whether a token can start at `index` of `text` (see TOKEN_START). */
export function tokenStartsAt(text: string, index: number): boolean {
  if (index === 0 || !isTokenCode(text.charCodeAt(index - 1))) return true;
  const c1 = text.charCodeAt(index - 1);
  if (index >= 2 && text.charCodeAt(index - 2) === 0x5c /* \ */ && c1 < 128 && ESCAPED_SEPARATOR[c1] === 1) return true;
  if (index >= 3 && text.charCodeAt(index - 3) === 0x25 /* % */ && isHex(text.charCodeAt(index - 2)) && isHex(c1)) return true;
  // Twice URL-encoded (`%252F`: a URL inside another URL's query).
  if (index >= 5 && text.charCodeAt(index - 5) === 0x25 && text.charCodeAt(index - 4) === 0x32 && text.charCodeAt(index - 3) === 0x35 && isHex(text.charCodeAt(index - 2)) && isHex(c1)) return true;
  if (index >= 6 && text.charCodeAt(index - 6) === 0x5c && text.charCodeAt(index - 5) === 0x75 /* u */) {
    return isHex(text.charCodeAt(index - 4)) && isHex(text.charCodeAt(index - 3)) && isHex(text.charCodeAt(index - 2)) && isHex(c1);
  }
  return false;
}

/** Whether a token can end at `index` (the character there, if any, is not a word character). */
export function tokenEndsAt(text: string, index: number): boolean {
  return index >= text.length || !isTokenCode(text.charCodeAt(index));
}
