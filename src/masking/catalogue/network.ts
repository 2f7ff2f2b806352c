/**
 * IP addresses. Policy: public IPv4 and IPv6 are masked, documentation ranges included
 * (people paste examples); private, loopback, link-local (169.254.169.254, fe80::),
 * carrier-grade NAT, unique-local and multicast addresses are not: they identify nothing and
 * fill every Docker paste. Version strings (`v1.2.3.4`, `version 1.2.3.4`) are not addresses.
 */
import { AFTER_ESCAPE, tokenStartsAt } from "../boundary.ts";
import { contextBefore, type CatalogueEntry } from "../types.ts";

function isPublicIpv4(value: string): boolean {
  const octets = value.split(".").map(Number);
  if (octets.some((octet, i) => octet > 255 || (value.split(".")[i]!.length > 1 && value.split(".")[i]!.startsWith("0")))) return false;
  const [a, b] = octets as [number, number];
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false;
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  if (a === 169 && b === 254) return false;
  if (a === 100 && b >= 64 && b <= 127) return false;
  return true;
}

/** A real IPv6 address (8 groups, or fewer with exactly one `::`) in 2000::/3. */
function isPublicIpv6(value: string): boolean {
  const halves = value.split("::");
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === "" ? [] : half.split(":")));
  if (groups.some((group) => !/^[0-9a-fA-F]{1,4}$/.test(group))) return false;
  if (halves.length === 1 ? groups.length !== 8 : groups.length > 7) return false;
  if (groups.length < 3) return false; // `a::b` is more often code than an address
  const first = parseInt(halves[0] === "" ? "0" : groups[0]!, 16);
  return first >= 0x2000 && first <= 0x3fff;
}

/**
 * How many characters matching `digit` (at most `max`) before `index` start the value: the
 * longest such run that starts a token. After `\u0022` the escape's own digits are not part
 * of `52.1.2.3` (the pattern's lookbehind accepts the shorter octet there too).
 */
function digitsBefore(text: string, index: number, max: number, digit: RegExp): number {
  let count = 0;
  while (count < max && index - count > 0 && digit.test(text.charAt(index - count - 1))) count++;
  while (count > 1 && !tokenStartsAt(text, index - count)) count--;
  return count;
}

/** An IPv6 candidate after its first `:` (see the ipv6_public entry). */
const IPV6_AFTER_COLON = String.raw`(?:(?<=(?:(?<![0-9A-Za-z_:.])|${AFTER_ESCAPE})[0-9a-fA-F]{1,4}:)[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){1,6}|(?<=(?<![0-9A-Za-z_:.]):)(?::[0-9a-fA-F]{0,4}){2,7})(?![0-9A-Za-z_:]|\.\d)`;

/** Words after which four dotted numbers are a version (`firmware 2.17.18.130`, `버전 9.1.7.6`). */
const VERSION_CONTEXT = /(?:version|release|ver\.?|firmware|build|버전|펌웨어)\s*[:=]?\s*$/i;

export const networkEntries: CatalogueEntry[] = [
  {
    type: "ipv4_public",
    prefix: "IP_V4",
    priority: 30,
    // Not inside a longer dotted number (1.2.3.4.5), but a sentence's "." may precede it.
    // Starts at the first "." and reads the first octet in a lookbehind (see leadIn).
    // The whole address and its left boundary are checked in a lookbehind at the end.
    // With the pattern's right end: a run of `1.1.1.…` stops the shared pass nowhere.
    triggers: [{ chars: ".", when: String.raw`(?<=\d\.)(?=\d{1,3}\.\d{1,3}\.\d{1,3}(?![0-9A-Za-z_]|\.\d))` }],
    pattern: /\.(?:\d{1,3}\.){2}\d{1,3}(?![0-9A-Za-z_]|\.\d)(?<=(?:(?<![0-9A-Za-z_]|\d\.)|(?<=\\[ntrbf"\\/]|\\u[0-9A-Fa-f]{4}|%[0-9A-Fa-f]{2}))\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})/g,
    leadIn: (_groups, text, index) => digitsBefore(text, index, 3, /[0-9]/),
    validate: (value, text, index) => isPublicIpv4(value) && !contextBefore(text, index, VERSION_CONTEXT, 24),
  },
  {
    type: "ipv6_public",
    prefix: "IP_V6",
    priority: 30,
    // Permissive candidate; isPublicIpv6 decides. Times (12:30:45) and MACs fail validation.
    // Starts at the first ":" (leadIn reads the group before it): `a:b:…` or `::b…`.
    pattern: new RegExp(`:${IPV6_AFTER_COLON}`, "g"),
    // The whole pattern is the trigger's condition: colons are common (times, JSON, YAML).
    triggers: [{ chars: ":", when: `(?=${IPV6_AFTER_COLON})` }],
    leadIn: (_groups, text, index) => digitsBefore(text, index, 4, /[0-9a-fA-F]/),
    validate: (value) => isPublicIpv6(value),
  },
];
