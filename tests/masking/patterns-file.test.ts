import { describe, expect, test } from "bun:test";
import { Masker } from "../../src/masking/masker.ts";
import { parsePatterns, superLinearPart } from "../../src/masking/patterns-file.ts";
import { Scanner } from "../../src/masking/scanner.ts";

const entry = (fields: Record<string, unknown>) => JSON.stringify([{ type: "corp_host", prefix: "CORP_HOST", ...fields }]);

describe("PATTERNS_FILE", () => {
  test("a valid entry becomes a catalogue entry that masks and restores through the store", async () => {
    const entries = parsePatterns(entry({ pattern: String.raw`(?<![a-z0-9-])[a-z0-9-]{1,63}\.corp\.example\.com`, priority: 7 }));
    expect(entries.map(({ type, prefix, priority }) => ({ type, prefix, priority }))).toEqual([{ type: "corp_host", prefix: "CORP_HOST", priority: 7 }]);
    const stored = new Map<string, string>();
    const store = {
      getOrCreate: async (_tenant: string, items: readonly { prefix: string; original: string }[]) =>
        items.map((item, i) => {
          const surrogate = `${item.prefix}_${String(i + 1).padStart(3, "0")}`;
          stored.set(surrogate, item.original);
          return surrogate;
        }),
      lookup: async (_tenant: string, surrogates: readonly string[]) => surrogates.map((surrogate) => stored.get(surrogate)),
    };
    const masker = new Masker(store, { arnMode: "parts", extraEntries: entries });
    const { masked } = await masker.maskTexts("t", ["ssh build-7.corp.example.com now"]);
    expect(masked).toEqual(["ssh CORP_HOST_001 now"]);
    expect((await masker.unmaskTexts("t", masked)).texts).toEqual(["ssh build-7.corp.example.com now"]);
  });

  test("bad files and bad entries are configuration errors naming the entry and the fix", () => {
    expect(() => parsePatterns("[{")).toThrow('PATTERNS_FILE is not valid JSON: it must be an array of {"type","pattern","prefix","priority"} objects');
    expect(() => parsePatterns(entry({ pattern: "x", prefix: "lower" }))).toThrow('entry 0 field "prefix"');
    expect(() => parsePatterns(entry({ pattern: "(" }))).toThrow('PATTERNS_FILE entry 0 ("corp_host") has an invalid regular expression; fix its "pattern".');
    expect(() => parsePatterns(entry({ pattern: "a*" }))).toThrow('PATTERNS_FILE entry 0 ("corp_host") matches the empty string');
  });

  test("a pattern that is super-linear on some input is refused, naming the repetition and how to fix it", () => {
    // Under a global search, [a-z]+ restarts at every letter of a long run: quadratic.
    expect(() => parsePatterns(entry({ pattern: String.raw`[a-z]+\.corp\.example\.com` }))).toThrow(
      'PATTERNS_FILE entry 0 ("corp_host") can take time super-linear in the text\'s length: "[a-z]+" can be tried again at every character of a long run',
    );
    // Two repetitions that trade characters within one attempt.
    expect(superLinearPart(/(?<![A-Za-z0-9_])\w+\d+x/g)).toBe("\\w+");
    // Nested repetition (exponential in backtracking engines).
    expect(superLinearPart(/(?:a|a)*b/g)).toBe("(?:a|a)*");
    // The fixes the message suggests are accepted.
    expect(superLinearPart(/(?<![a-z])[a-z]+\.corp\.example\.com/g)).toBeUndefined();
    expect(superLinearPart(/[a-z]{1,63}\.corp\.example\.com/g)).toBeUndefined();
    expect(superLinearPart(/CORP-[0-9]{6}/gi)).toBeUndefined();
  });

  test("an accepted pattern (boundary and bound) still finds what it should, and a run longer than its bound is no match", () => {
    const run = `${"a".repeat(20_000)}.corp.example.com`;
    const accepted = new Scanner(parsePatterns(entry({ pattern: String.raw`(?<![a-z])[a-z]{1,63}\.corp\.example\.com` })));
    expect(accepted.scan(run)).toEqual([]); // 20,000 letters are not a host label of at most 63
    const short = `x ${"a".repeat(63)}.corp.example.com`;
    expect(accepted.scan(short)).toEqual([{ start: 2, end: short.length, type: "corp_host", prefix: "CORP_HOST", priority: 50 }]);
  });
});
