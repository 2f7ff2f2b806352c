/**
 * Restore only what will be masked again: a weak original comes back only where the catalogue
 * finds it again; the left context each restore path reads is the restored text of the same
 * string, decoded.
 */
import { describe, expect, test } from "bun:test";
import { Masker } from "../../src/masking/masker.ts";
import { decodedCharAt, partialEscapeLength } from "../../src/masking/json-string.ts";
import { JsonStringTail, RESTORE_CONTEXT, restorePolicy, TextTail } from "../../src/masking/restore-policy.ts";
import { restoreText, StreamingRestorer, surrogateSyntax } from "../../src/masking/stream-restorer.ts";

const masker = new Masker({ getOrCreate: async () => [], lookup: async () => [] }, { arnMode: "parts" });
const policy = restorePolicy(masker.scanner);
const syntax = surrogateSyntax(masker.roots);
const ORIGINALS: Record<string, string> = { SECRET_VALUE_001: "hunter", AWS_EC2_001: "i-0a1b2c3d4e5f67890", SECRET_VALUE_002: "hunter2000xyz" };
const resolve = async (surrogates: string[]) => new Map(surrogates.filter((s) => s in ORIGINALS).map((s) => [s, ORIGINALS[s]!]));

describe("restorePolicy", () => {
  test.each([
    ["a memorable original, anywhere", "i-0a1b2c3d4e5f67890", "nothing before ", "x", true],
    ["a memorable secret, without context", "hunter2000xyz", "use ", "", true],
    ["a weak password after password=, then a space", "hunter", "login with password=", " ", true],
    ["a weak password after 'password: ', at the end of its string", "hunter", "password: ", "", true],
    ["a weak password in quotes", "hunter", 'password="', '"', true],
    ["a weak password then a comma", "hunter", "password=", ",", true],
    ["a weak password with no context", "hunter", "the answer is ", " ", false],
    ["a weak password as the whole text", "hunter", "", "", false],
    ["a weak password whose context is beyond the window", "hunter", `password=${"x".repeat(RESTORE_CONTEXT)} `, " ", false],
    ["a weak password then '(' (a call, not a value)", "hunter", "password=", "(", false],
    ["a weak password glued to more of a value after a '.'", "hunter", "password=", ".", false],
    ["a weak password at the end of a longer value", "hunter", "password=abc-", " ", true],
    ["a weak password that makes the value a dotted name (not a secret)", "hunter", "password=abc.", " ", false],
  ])("%s", (_name, original, left, next, expected) => {
    expect(policy(original, left, next)).toBe(expected);
  });
});

test("a remembered decision is per context: the same original and left context, another next character", () => {
  expect([policy("hunter", "password=", " "), policy("hunter", "password=", "("), policy("hunter", "password=", " "), policy("hunter", "the ", " ")]).toEqual([true, false, true, false]);
});

describe("restoreText with the policy", () => {
  test("the weak original is restored in its context and stays a surrogate elsewhere; the memorable one everywhere", async () => {
    const text = "password=SECRET_VALUE_001 then SECRET_VALUE_001 on AWS_EC2_001, SECRET_VALUE_002";
    expect(await restoreText(text, syntax, resolve, { policy })).toBe("password=hunter then SECRET_VALUE_001 on i-0a1b2c3d4e5f67890, hunter2000xyz");
  });

  test("the context may itself hold a restored value", async () => {
    expect(await restoreText("AWS_EC2_001 password=SECRET_VALUE_001", syntax, resolve, { policy })).toBe("i-0a1b2c3d4e5f67890 password=hunter");
  });

  test("streamed in pieces, the decision is the same as on the whole text", async () => {
    const text = "a password=SECRET_VALUE_001 b SECRET_VALUE_001 c";
    const whole = await restoreText(text, syntax, resolve, { policy });
    for (let size = 1; size <= 8; size++) {
      const restorer = new StreamingRestorer(syntax, resolve, false, false, policy);
      let out = "";
      for (let i = 0; i < text.length; i += size) out += await restorer.push(text.slice(i, i + size));
      out += await restorer.flush();
      expect(out).toBe(whole);
    }
  });

  test("partial_json: the context is the decoded string the surrogate is in, never the member name before it", async () => {
    const json = JSON.stringify({ password: "SECRET_VALUE_001", cmd: "login\npassword=SECRET_VALUE_001", "password=": "SECRET_VALUE_001" });
    const restorer = new StreamingRestorer(syntax, resolve, true, false, policy);
    let out = "";
    for (let i = 0; i < json.length; i += 3) out += await restorer.push(json.slice(i, i + 3));
    out += await restorer.flush();
    expect(JSON.parse(out)).toEqual({ password: "SECRET_VALUE_001", cmd: "login\npassword=hunter", "password=": "SECRET_VALUE_001" });
  });
});

describe("the character after a surrogate, in partial_json", () => {
  const stream = async (pieces: string[]) => {
    const restorer = new StreamingRestorer(syntax, resolve, true, false, policy);
    let out = "";
    for (const piece of pieces) out += await restorer.push(piece);
    return out + (await restorer.flush());
  };

  test.each([
    ["\\u0028 (a call): stays", ['{"c":"password=SECRET_VALUE_001\\', 'u0028x"}'], '{"c":"password=SECRET_VALUE_001\\u0028x"}'],
    ["\\u0020 split after \\u00 (a space): restored", ['{"c":"password=SECRET_VALUE_001\\u00', '20x"}'], '{"c":"password=hunter\\u0020x"}'],
    ["\\n (a new line): restored", ['{"c":"password=SECRET_VALUE_001\\', 'nx"}'], '{"c":"password=hunter\\nx"}'],
    ["an escaped backslash, then u: restored", ['{"c":"password=SECRET_VALUE_001\\\\', 'u0028"}'], '{"c":"password=hunter\\\\u0028"}'],
  ])("an escape split from the surrogate before it is decoded whole: %s", async (_name, pieces, expected) => {
    expect(await stream(pieces)).toBe(expected);
    expect(await stream([pieces.join("")])).toBe(expected);
  });
});

describe("json-string", () => {
  test.each([
    ["", 0],
    ["abc", 0],
    ["a\\", 1],
    ["a\\u", 2],
    ["a\\u002", 5],
    ["a\\u0020", 0],
    ["a\\n", 0],
    ["a\\\\", 0],
    ["a\\\\\\", 1],
    ["a\\\\u00", 0],
  ])("partialEscapeLength(%p) = %p", (raw, expected) => expect(partialEscapeLength(raw)).toBe(expected));

  test.each([
    ['x"', 0, "x"],
    ['x"', 1, ""],
    ["x", 1, ""],
    ["\\n", 0, "\n"],
    ["\\u0028", 0, "("],
    ["\\\\", 0, "\\"],
  ])("decodedCharAt(%p, %p) = %p", (raw, index, expected) => expect(decodedCharAt(raw, index)).toBe(expected));
});

describe("left contexts", () => {
  test("TextTail keeps the last RESTORE_CONTEXT characters, however it is fed", () => {
    const tail = new TextTail();
    let all = "";
    for (let i = 0; i < 50; i++) {
      const piece = `${i}:${"abc".repeat(i % 4)}`;
      tail.feed(piece);
      all += piece;
      expect(tail.text()).toBe(all.slice(-RESTORE_CONTEXT));
    }
  });

  test("JsonStringTail decodes escapes, fed in any pieces, and resets at each string", () => {
    const raw = '{"k\\u0041":"a\\n\\"b\\\\c\\u00e9\\/d","n":1,"v":"x';
    for (let size = 1; size <= raw.length; size++) {
      const tail = new JsonStringTail();
      for (let i = 0; i < raw.length; i += size) tail.feed(raw.slice(i, i + size));
      expect(tail.text()).toBe("x");
    }
    const open = new JsonStringTail();
    open.feed('{"a":"p\\n\\"q\\\\\\u00e9');
    expect(open.text()).toBe('p\n"q\\é');
    open.feed('"');
    expect(open.text()).toBe("");
  });
});
