/** Reading raw JSON string text (partial_json) a character at a time, as the restorers need. */

/** What each one-character JSON escape stands for. */
export const ESCAPED: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", '"': '"', "\\": "\\", "/": "/" };

/**
 * The character that raw JSON inside a string holds at `index`, decoded: "" where the string
 * (or the text) ends. Escapes are complete here: a stream holds back a partial one.
 */
export function decodedCharAt(raw: string, index: number): string {
  const char = raw.charAt(index);
  if (char === '"') return "";
  if (char !== "\\") return char;
  const escaped = raw.charAt(index + 1);
  if (escaped === "u") return String.fromCharCode(Number.parseInt(raw.slice(index + 2, index + 6), 16));
  return ESCAPED[escaped] ?? escaped;
}

/** How many trailing characters of raw JSON are an escape not yet complete (`\`, `\u00`). */
export function partialEscapeLength(raw: string): number {
  const at = raw.lastIndexOf("\\", raw.length - 1);
  if (at === -1 || at < raw.length - 5) return 0;
  let slashes = 0;
  while (at - slashes - 1 >= 0 && raw.charCodeAt(at - slashes - 1) === 0x5c) slashes++;
  if (slashes % 2 === 1) return 0; // this backslash is itself escaped: `\\`
  const tail = raw.slice(at);
  if (tail.length === 1) return 1;
  if (tail[1] !== "u") return 0;
  return tail.length < 6 ? tail.length : 0;
}
