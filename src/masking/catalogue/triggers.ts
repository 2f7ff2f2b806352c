/**
 * Triggers shared by several catalogue entries (see `Trigger`). Each sits on the rarest
 * letter of its word, so the scanner's shared pass stops at few characters of ordinary text.
 */
import type { Trigger } from "../types.ts";

/**
 * A case-insensitive word with its trigger on the last letter of `head`: `head` is read in a
 * lookbehind, `tail` in a lookahead, and the word starts `back` characters before the trigger.
 */
function wordTrigger(head: string, tail: string, back: number[]): Trigger {
  const letter = head.at(-1)!;
  return { chars: letter.toLowerCase() + letter.toUpperCase(), when: `(?<=(?i:${head}))${tail ? `(?=(?i:${tail}))` : ""}`, back };
}

export const SECRET = wordTrigger("sec", "ret", [2]);
export const TOKEN = wordTrigger("tok", "en", [2]);
export const ZONE = wordTrigger("z", "one", [0]);

/**
 * Every word of `SECRET_WORD` in secrets.ts: secret, token, passw(or)d, passwd, pwd,
 * api[_-]?key, apikey, access[_-]?key, account[_-]?key, private[_-]?key, credential, auth[_-]?key,
 * signing[_-]?key, encryption[_-]?key, master[_-]?key, hmac[_-]?key, passphrase.
 */
export const SECRET_WORD_TRIGGERS: readonly Trigger[] = [
  SECRET,
  TOKEN,
  wordTrigger("passw", "", [4]),
  wordTrigger("pw", "d", [1]),
  wordTrigger("api[_-]?k", "ey", [3, 4]),
  wordTrigger("access[_-]?k", "ey", [6, 7]),
  wordTrigger("account[_-]?k", "ey", [7, 8]),
  wordTrigger("private[_-]?k", "ey", [7, 8]),
  // On the `c`, which `secret` already stops at: a letter of its own would add its stops.
  wordTrigger("c", "redential", [0]),
  wordTrigger("auth[_-]?k", "ey", [4, 5]),
  wordTrigger("signing[_-]?k", "ey", [7, 8]),
  wordTrigger("encryption[_-]?k", "ey", [10, 11]),
  wordTrigger("master[_-]?k", "ey", [6, 7]),
  wordTrigger("hmac[_-]?k", "ey", [4, 5]),
  wordTrigger("passp", "hrase", [4]),
];

/** Every AWS host name this catalogue knows ends in amazonaws.com: patterns start there. */
export const AMAZONAWS: Trigger = { chars: ".", when: String.raw`(?<=amazonaws\.)(?=com)`, back: [9] };
