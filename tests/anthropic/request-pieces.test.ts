/**
 * The piece path of the request masker: a body split without parsing, pieces shared with a
 * remembered body (found by comparing bytes) reused, and the egress guard still covering every
 * byte. Its output must be exactly what parsing everything gives.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { BodyHistory, commonPrefix, commonSuffix } from "../../src/anthropic/body-history.ts";
import { splitPieces, splitRequestBody } from "../../src/anthropic/json-segments.ts";
import { MaskedTextCache } from "../../src/anthropic/masked-text-cache.ts";
import { RequestMasker, type TextMasker } from "../../src/anthropic/request-masker.ts";
import { ThinkingCache } from "../../src/anthropic/thinking-cache.ts";
import { loadConfig } from "../../src/config.ts";
import { createCore } from "../../src/core.ts";
import { createLogger } from "../../src/log.ts";
import { seededRandom } from "../fixtures/sse-builder.ts";
import { tempDir } from "../helpers/proxy-process.ts";

describe("splitting a body into pieces", () => {
  test("top-level members and messages elements, with their exact raw texts", () => {
    const text = ` { "model" : "m",\n "messages":[ {"role":"user","content":"a \\"quoted\\" ] } text"} ,{"role":"assistant","content":[{"type":"text","text":"x"}]}],"max_tokens":12,"stream":true,"system":[{"type":"text","text":"s"}] } `;
    const pieces = splitRequestBody(text)!;
    expect(pieces.map((piece) => [piece.key, piece.element, piece.first, text.slice(piece.start, piece.end)])).toEqual([
      ["model", false, false, '"m"'],
      ["messages", true, true, '{"role":"user","content":"a \\"quoted\\" ] } text"}'],
      ["messages", true, false, '{"role":"assistant","content":[{"type":"text","text":"x"}]}'],
      ["max_tokens", false, false, "12"],
      ["stream", false, false, "true"],
      ["system", false, false, '[{"type":"text","text":"s"}]'],
    ]);
    // An empty messages array is an ordinary member.
    expect(splitRequestBody('{"messages":[ ]}')!.map((piece) => [piece.key, piece.element])).toEqual([["messages", false]]);
    expect(splitRequestBody("{}")).toEqual([]);
  });

  test("a string ends at the first quote after an even run of backslashes", () => {
    for (const content of ["ends with one \\", "two \\\\", 'quote \\" and \\\\"', '\\\\\\"', "]}{[,:"]) {
      const raw = JSON.stringify(content);
      const text = `{"messages":[{"content":${raw}},{"content":${raw}}],"after":${raw}}`;
      expect(splitRequestBody(text)!.map((piece) => JSON.parse(text.slice(piece.start, piece.end)))).toEqual([{ content }, { content }, content]);
    }
  });

  test("resumes after an element or a member, and stops where the sink says", () => {
    const seen: string[] = [];
    const rest = ' , {"b":2}],"stream":true}';
    expect(splitPieces(rest, "element", (piece) => (seen.push(`${piece.key}:${piece.first}:${rest.slice(piece.start, piece.end)}`), true))).toBe("end");
    expect(seen).toEqual(['messages:false:{"b":2}', "stream:false:true"]);
    expect(splitPieces('],"stream":true}', "element", () => true)).toBe("end");
    expect(splitPieces(',"a":1,"b":2}', "member", (piece) => piece.key !== "a")).toBe("stopped");
    expect(splitPieces("}", "member", () => true)).toBe("end");
  });

  test.each([
    ["", "empty"],
    ["[1,2]", "not an object"],
    ['{"a":1} x', "trailing text"],
    ['{"a" 1}', "missing colon"],
    ['{"a":"unterminated}', "unterminated string"],
    ['{"a":[1,2}', "unbalanced"],
    ['{"a":1,}', "trailing comma"],
    ["{a:1}", "unquoted key"],
    ['{"messages":[{"x":1} {"y":2}]}', "missing comma between messages"],
  ])("%p is not split (%s): the ordinary parser reports it", (text) => {
    expect(splitRequestBody(text)).toBeUndefined();
  });
});

describe("common prefix and suffix of byte strings", () => {
  const naivePrefix = (a: Buffer, b: Buffer) => {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return i;
  };
  const naiveSuffix = (a: Buffer, b: Buffer, limit: number) => {
    let i = 0;
    while (i < limit && i < a.length && i < b.length && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
    return i;
  };
  test("agree with a byte-by-byte comparison, at every block boundary and length", () => {
    const random = seededRandom(42);
    for (let round = 0; round < 300; round++) {
      const length = Math.floor(random() * 20_000);
      const a = Buffer.from(Array.from({ length }, () => Math.floor(random() * 4)));
      const b = Buffer.from(a);
      const cut = Math.floor(random() * (length + 1));
      const other = round % 3 === 0 ? b.subarray(0, cut) : Buffer.concat([b.subarray(0, cut), Buffer.from([9]), b.subarray(cut)]);
      const limit = Math.floor(random() * (length + 2));
      expect(commonPrefix(a, other)).toBe(naivePrefix(a, other));
      expect(commonSuffix(a, other, limit)).toBe(naiveSuffix(a, other, limit));
    }
  });
});

describe("masking by pieces", async () => {
  const loaded = loadConfig({ DATA_DIR: tempDir("cmp-pieces-"), ANTHROPIC_API_KEY: "sk-ant-test-000000000000", ANTHROPIC_UPSTREAM_URL: "http://127.0.0.1:9", PROXY_API_KEYS: "t:k-0123456789abcdef" });
  if (!loaded.ok) throw new Error(loaded.problems.join("\n"));
  const core = await createCore(loaded.config);
  afterAll(() => core.store.close());

  /** Counts the texts that reach the scanner and the store. */
  const counting = () => {
    const counter = { texts: 0 };
    const masker: TextMasker = { maskTexts: (tenant, texts) => ((counter.texts += texts.length), core.masker.maskTexts(tenant, texts)) };
    return { counter, masker };
  };
  const requestMasker = (options: { pieces: boolean; now?: () => number; maxAgeMs?: number; masker?: TextMasker }) =>
    new RequestMasker({
      masker: options.masker ?? core.masker,
      thinking: new ThinkingCache(),
      maskedTexts: new MaskedTextCache({ maxChars: 1 << 20, maxAgeMs: 60_000 }),
      history: options.pieces ? new BodyHistory({ maxBytes: 1 << 24, maxAgeMs: options.maxAgeMs ?? 60_000, now: options.now }) : undefined,
      logger: createLogger("error", () => {}),
    });
  const mask = async (masker: RequestMasker, tenant: string, text: string) => {
    const result = await masker.maskBody(tenant, Buffer.from(text));
    return { text: result.body.toString(), originals: new Set(result.entities.map((entity) => entity.original)) };
  };

  const history = [
    { role: "user", content: [{ type: "text", text: "Why is i-0a1b2c3d4e5f67890 slow? Its role is arn:aws:iam::123456789012:role/deploy-prod." }] },
    { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "aws ec2 describe-instances --instance-ids i-0a1b2c3d4e5f67890" } }] },
    { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: `{"Reservations":[{"OwnerId":"123456789012","Instances":[{"PublicIpAddress":"54.12.34.56"}]}]} ${"배포 로그 ".repeat(200)}` }] },
  ];
  const ORIGINALS = ["i-0a1b2c3d4e5f67890", "123456789012", "AKIAIOSFODNN7EXAMPLE", "54.12.34.56", "corp-logs-bucket", "deploy-prod"];
  const body = (messages: unknown[], extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      model: "claude-x",
      messages,
      system: [{ type: "text", text: `AWS account 123456789012, key AKIAIOSFODNN7EXAMPLE ${"context ".repeat(300)}` }],
      tools: [{ name: "Bash", description: `Runs commands in s3://corp-logs-bucket ${"and more ".repeat(200)}` }],
      max_tokens: 100,
      stream: true,
      ...extra,
    });

  test("gives byte for byte what parsing the whole body gives: first, repeated, extended, edited, shortened", async () => {
    const { counter, masker } = counting();
    const byPieces = requestMasker({ pieces: true, masker });
    const byParsing = requestMasker({ pieces: false });
    const turn = (i: number) => ({ role: "user", content: `and vol-0${String(i).padStart(16, "0")} ${"more ".repeat(60)}?` });
    const extended = body([...history, turn(1)]);
    const bodies = [
      body(history),
      body(history),
      extended,
      body([...history, turn(1), turn(2)]),
      // Claude Code moves its cache marker to the newest message: an earlier element changes.
      body([...history.slice(0, 2), { ...history[2]!, content: [{ ...(history[2]!.content[0] as object), cache_control: { type: "ephemeral" } }] }, turn(1), turn(2)]),
      body([...history, turn(2)]),
      body(history.slice(0, 2)),
      body([...history, turn(1)], { tools: [{ name: "Read", description: "Reads s3://other-logs-bucket files" }] }),
      ` ${extended.replace('"stream":true', '"stream" : true')} `,
      body([]),
      body([...history, turn(3)], { messages: [turn(4)] }).replace('"messages":[{', '"messages":[{'),
    ];
    for (const [index, text] of bodies.entries()) {
      const before = counter.texts;
      const [a, b] = [await mask(byPieces, "acme", text), await mask(byParsing, "acme", text)];
      expect(a.text).toBe(b.text);
      expect(a.originals).toEqual(b.originals);
      for (const original of ORIGINALS) expect(a.text).not.toContain(original);
      if (index === 1) expect(counter.texts - before).toBe(0); // all reused: nothing scanned
      if (index === 2) expect(counter.texts - before).toBe(1); // only the new turn's string
    }
  });

  test("random conversations: every body as parsing gives it, and re-sends reuse almost everything", async () => {
    const random = seededRandom(7);
    const { counter, masker } = counting();
    const byPieces = requestMasker({ pieces: true, masker });
    const byParsing = requestMasker({ pieces: false });
    const word = () => ["i-0a1b2c3d4e5f6789" + Math.floor(random() * 10), "AKIAIOSFODNN7EXAMPL" + "ABCDE"[Math.floor(random() * 5)], "plain", "배포", "\"quoted\"", "54.1.2." + Math.floor(random() * 200)][Math.floor(random() * 6)]!;
    const message = () => ({ role: random() < 0.5 ? "user" : "assistant", content: Array.from({ length: 5 + Math.floor(random() * 40) }, word).join(" ") });
    for (let conversation = 0; conversation < 8; conversation++) {
      let messages = [message()];
      for (let step = 0; step < 12; step++) {
        const action = random();
        if (action < 0.6) messages = [...messages, message()];
        else if (action < 0.75 && messages.length > 1) messages = messages.map((m, i) => (i === Math.floor(random() * messages.length) ? message() : m));
        else if (action < 0.85 && messages.length > 1) messages = messages.slice(0, -1);
        const text = body(messages, step % 5 === 4 ? { system: `changed ${step}` } : {});
        const [a, b] = [await mask(byPieces, `t${conversation % 3}`, text), await mask(byParsing, `t${conversation % 3}`, text)];
        expect(a.text).toBe(b.text);
        expect(a.originals).toEqual(b.originals);
      }
    }
    // 96 bodies of ~5 strings each would be ~500 texts masked afresh without reuse.
    expect(counter.texts).toBeLessThan(250);
  });

  test("bodies as other clients write them: pretty-printed, \\u escapes, messages first or last", async () => {
    const random = seededRandom(11);
    const byPieces = requestMasker({ pieces: true });
    const byParsing = requestMasker({ pieces: false });
    const escapeNonAscii = (text: string) => text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    let messages: unknown[] = [history[0]];
    for (let step = 0; step < 24; step++) {
      messages = [...messages, history[1 + (step % 2)], { role: "user", content: `step ${step}: vol-0${String(step).padStart(16, "0")} 배포 ${"로그 ".repeat(50)}` }];
      const object = JSON.parse(body(messages));
      const reordered = step % 3 === 0 ? { messages: object.messages, ...object } : object;
      const styles = [JSON.stringify(reordered), JSON.stringify(reordered, null, 2), escapeNonAscii(JSON.stringify(reordered)), `\n${JSON.stringify(reordered, null, "\t")}\n`];
      const text = styles[Math.floor(random() * styles.length)]!;
      const [a, b] = [await mask(byPieces, "styles", text), await mask(byParsing, "styles", text)];
      expect(a.text).toBe(b.text);
      expect(a.originals).toEqual(b.originals);
    }
  });

  test("tenants never share pieces: the same body gets each tenant's own surrogates", async () => {
    const byPieces = requestMasker({ pieces: true });
    const text = body(history);
    // tenant-a numbers other values first, so its surrogates for this body differ from tenant-b's.
    await mask(byPieces, "tenant-a", body([{ role: "user", content: "i-0ffffffffffffffff vol-0ffffffffffffffff 999999999999 account" }]));
    const own = await mask(byPieces, "tenant-a", text);
    const other = await mask(byPieces, "tenant-b-fresh", text);
    expect(other.text).toBe((await mask(requestMasker({ pieces: false }), "tenant-b-fresh", text)).text);
    expect(other.text).not.toBe(own.text);
  });

  test("a piece trusted longer than maxAgeMs is masked through the store again", async () => {
    let now = 1_000_000;
    const { counter, masker } = counting();
    const byPieces = requestMasker({ pieces: true, now: () => now, maxAgeMs: 1_000, masker });
    const text = body(history);
    await mask(byPieces, "acme", text);
    const first = counter.texts;
    await mask(byPieces, "acme", text);
    expect(counter.texts).toBe(first);
    now += 1_001;
    await mask(byPieces, "acme", text);
    expect(counter.texts).toBeGreaterThan(first);
  });

  test("an original found in a new piece is also caught inside a reused one", async () => {
    const byPieces = requestMasker({ pieces: true });
    const password = "Tr0ub4dor&3-horse-battery";
    const quoted = { role: "user", content: `Is "${password}" a strong password for the staging database, do you think? ${"Please. ".repeat(200)}` };
    // Alone, nothing in it looks like a secret: it is remembered as it is.
    for (let i = 0; i < 2; i++) expect((await mask(byPieces, "acme", body([quoted]))).text).toContain(password);
    // Re-sent next to an assignment that reveals the value: the reused piece must not carry it out.
    const both = (await mask(byPieces, "acme", body([quoted, { role: "user", content: `DB_PASSWORD=${password}` }]))).text;
    expect(both).not.toContain(password);
    expect(both).toContain('Is \\"SECRET_VALUE_');
  });

  test("the same holds when the reused piece is large and the new turn brings many originals", async () => {
    const byPieces = requestMasker({ pieces: true });
    const password = "Hunter2-correct-horse-staple";
    const filler = "Deployment log line without anything sensitive in it at all. ".repeat(1_500);
    const quoted = { role: "user", content: `${filler}\nThe staging password was ${password} last week.` };
    for (let i = 0; i < 2; i++) expect((await mask(byPieces, "acme", body([quoted]))).text).toContain(password);
    const instances = Array.from({ length: 60 }, (_, i) => `i-0${i.toString(16).padStart(16, "0")}`);
    const both = (await mask(byPieces, "acme", body([quoted, { role: "user", content: `DB_PASSWORD=${password}\n${instances.join("\n")}` }]))).text;
    expect(both).not.toContain(password);
    for (const instance of instances) expect(both).not.toContain(instance);
  });

  test("the history is bounded per tenant and in bytes", async () => {
    const history = new BodyHistory({ maxBytes: 10_000, maxAgeMs: 60_000, perTenant: 2 });
    const remembered = (n: number) => ({ bytes: Buffer.alloc(n, 7), pieces: [] });
    const [a, b, c] = [remembered(2_000), remembered(2_001), remembered(2_002)];
    for (const body of [a, b, c]) history.remember("acme", body);
    expect(history.closest("acme", a.bytes)?.body).not.toBe(a); // only the two most recent are kept
    expect(history.closest("acme", c.bytes)?.body).toBe(c);
    history.remember("other", remembered(9_000)); // over the byte bound: the least recent tenant goes first
    expect(history.closest("acme", c.bytes)).toBeUndefined();
    expect(history.closest("other", Buffer.alloc(9_000, 7))).toBeDefined();
  });
});
