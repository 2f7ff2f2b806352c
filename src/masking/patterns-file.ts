/**
 * PATTERNS_FILE: extra types from the user, as a JSON array of
 * `{type, pattern, flags?, prefix, priority?}`, validated with TypeBox at start. A bad entry
 * is a configuration error that names the entry and says how to fix it. User patterns run over
 * every text, so one that can take time super-linear in the text's length (a tenant would only
 * need to send the right run of characters to stall the proxy) is refused too: scslre finds
 * them by analysing the regex, not by timing it.
 */
import { isSurrogatePrefix } from "./surrogate-grammar.ts";
import { RegExpParser } from "@eslint-community/regexpp";
import { Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { readFileSync } from "node:fs";
import { analyse } from "scslre";
import type { CatalogueEntry } from "./types.ts";

const UserPattern = Type.Object({
  type: Type.String({ pattern: "^[a-z][a-z0-9_]*$" }),
  pattern: Type.String({ minLength: 1 }),
  flags: Type.Optional(Type.String({ pattern: "^[imsu]*$" })),
  prefix: Type.String({ pattern: "^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$" }),
  priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
});
const UserPatterns = Type.Array(UserPattern);

export function parsePatterns(json: string, source = "PATTERNS_FILE"): CatalogueEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw new Error(`${source} is not valid JSON: it must be an array of {"type","pattern","prefix","priority"} objects`);
  }
  const problems = [...Value.Errors(UserPatterns, data)].map((error) => {
    const [, index, field] = error.path.split("/");
    return `entry ${index ?? "?"}${field ? ` field "${field}"` : ""}: ${error.message}`;
  });
  if (problems.length > 0) {
    throw new Error(`${source} is invalid (${problems.join("; ")}). Each entry needs type (lower_snake), pattern (a regex), prefix (UPPER_SNAKE, e.g. CORP_HOST) and an optional priority.`);
  }
  return (data as { type: string; pattern: string; flags?: string; prefix: string; priority?: number }[]).map((entry, index) => {
    let pattern: RegExp;
    try {
      pattern = new RegExp(entry.pattern, `g${entry.flags ?? ""}`);
    } catch {
      throw new Error(`${source} entry ${index} ("${entry.type}") has an invalid regular expression; fix its "pattern".`);
    }
    if (!isSurrogatePrefix(entry.prefix)) {
      throw new Error(`${source} entry ${index} ("${entry.type}") has prefix "${entry.prefix}": give every segment between "_" a letter (e.g. CORP_HOST, not CORP_123) and at most 8 segments, or its surrogates cannot be read back.`);
    }
    if (pattern.test("")) throw new Error(`${source} entry ${index} ("${entry.type}") matches the empty string; make its "pattern" require at least one character.`);
    const slow = superLinearPart(pattern);
    if (slow) {
      throw new Error(
        `${source} entry ${index} ("${entry.type}") can take time super-linear in the text's length: "${slow}" can be tried again at every character of a long run ` +
          `(a tenant could stall the proxy with one request). Put a boundary before the repetition (e.g. (?<![a-z])[a-z]+), bound it (e.g. [a-z]{1,63}), or make its neighbours unable to match the same characters.`,
      );
    }
    return { type: entry.type, prefix: entry.prefix, priority: entry.priority ?? 50, pattern };
  });
}

export function loadPatternsFile(path: string): CatalogueEntry[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new Error(`PATTERNS_FILE cannot be read: check that ${path} exists and is readable`);
  }
  return parsePatterns(text);
}

/** The part of `pattern` that makes it super-linear (as its source text), or undefined when it is linear. */
export function superLinearPart(pattern: RegExp): string | undefined {
  const literal = new RegExpParser({ ecmaVersion: 2025 }).parseLiteral(`/${pattern.source}/${pattern.flags}`);
  const [report] = analyse(literal, { maxReports: 1 }).reports;
  if (!report) return undefined;
  return report.type === "Trade" ? report.startQuant.raw : report.quant.raw;
}
