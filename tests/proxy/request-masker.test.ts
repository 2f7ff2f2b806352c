/**
 * The request masker, with and without the re-sent-history door: a body split without
 * parsing, pieces shared with a remembered body (found by comparing bytes) reused, and the
 * egress guard still covering every byte. Its output must be exactly what parsing everything gives.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { loadConfig } from "../../src/config.ts";
import { createCore } from "../../src/core.ts";
import { createLogger } from "../../src/log.ts";
import { RequestMasker, type TextMasker } from "../../src/proxy/request-masker.ts";
import { BodyHistory, MaskedTextCache } from "../../src/proxy/reuse/index.ts";
import { ThinkingCache } from "../../src/proxy/thinking-cache.ts";
import { seededRandom } from "../fixtures/sse-builder.ts";
import { tempDir } from "../helpers/proxy-process.ts";

describe("masking by pieces", async () => {
  const loaded = loadConfig({ DATA_DIR: tempDir("cmp-pieces-"), ANTHROPIC_API_KEY: "sk-ant-test-000000000000", ANTHROPIC_UPSTREAM_URL: "http://127.0.0.1:9", PROXY_API_KEYS: "t:k-0123456789abcdef" });
  if (!loaded.ok) throw new Error(loaded.problems.join("\n"));
  const core = await createCore(loaded.config);
  afterAll(() => core.store.close());

  /** Counts the texts that reach the scanner and the store. */
  const counting = () => {
    const counter = { texts: 0 };
    const masker: TextMasker = {
      maskTexts: (tenant, texts, memory) => {
        counter.texts += texts.length;
        return core.masker.maskTexts(tenant, texts, memory);
      },
      memoryOf: (tenant) => core.masker.memoryOf(tenant),
    };
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

  test("#7: repeats are replaced as whole tokens, never inside a longer word or number", async () => {
    const masker = requestMasker({ pieces: false });
    const text = (await mask(masker, "t-7", body([{ role: "user", content: "account 555566667777 owns arn:aws:iam::555566667777:role/deploy-prod. Order number 5555666677778888 ships to deploy-production; 555566667777 again." }]))).text;
    const content = (JSON.parse(text) as { messages: { content: string }[] }).messages[0]!.content;
    expect(content).toMatch(/^account AWS_ACCOUNT_\d{3} owns arn:aws:iam::AWS_ACCOUNT_\d{3}:role\/AWS_IAM_ROLE_\d{3}\. Order number 5555666677778888 ships to deploy-production; AWS_ACCOUNT_\d{3} again\.$/);
  });

  test("#10: a detected secret equal to a word of the Messages format does not refuse the conversation", async () => {
    const masker = requestMasker({ pieces: true });
    const messages = [
      { role: "user", content: "password=assistant" },
      { role: "assistant", content: [{ type: "text", text: "Noted." }] },
      { role: "user", content: "And now?" },
    ];
    for (let turn = 0; turn < 2; turn++) {
      const sent = JSON.parse((await mask(masker, "t-10", body(messages))).text) as { messages: { role: string; content: unknown }[] };
      expect(sent.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
      expect(sent.messages[0]!.content).toBe("password=SECRET_VALUE_001");
    }
  });

  test("a re-sent piece that holds an original another conversation taught the memory since is masked again", async () => {
    const masker = requestMasker({ pieces: true });
    // Undetected here: no context makes `ci-runner-blue-7` an identifier yet.
    const conversation = [{ role: "user", content: `notes: ci-runner-blue-7 ran ${"the nightly job ".repeat(200)}` }];
    const first = (await mask(masker, "t-learn", body(conversation))).text;
    expect(first).toContain("ci-runner-blue-7");
    // Another conversation masks it as a role.
    await mask(masker, "t-learn", body([{ role: "user", content: "arn:aws:iam::210987654321:role/ci-runner-blue-7" }]));
    // The first conversation goes on: its old piece is not reused as it was.
    const next = (await mask(masker, "t-learn", body([...conversation, { role: "assistant", content: "ok" }, { role: "user", content: "and now?" }]))).text;
    expect(next).not.toContain("ci-runner-blue-7");
    expect(next).toContain("notes: AWS_IAM_ROLE_");
  });

  test("#1: a new conversation seeded with restored text (a subagent prompt, a summary) sends no original", async () => {
    const masker = requestMasker({ pieces: true });
    const first = (await mask(masker, "t-1", body([{ role: "user", content: "DB_PASSWORD=Hunter2Secret!x and arn:aws:iam::210987654321:role/deploy-prod" }]))).text;
    expect(first).not.toContain("Hunter2Secret!x");
    // What the client saw restored, written back by the model as a subagent's prompt.
    const seeded = (await mask(requestMasker({ pieces: true }), "t-1", body([{ role: "user", content: "Check role deploy-prod in 210987654321; log in with Hunter2Secret!x." }]))).text;
    for (const original of ["Hunter2Secret!x", "210987654321", "deploy-prod"]) expect(seeded).not.toContain(original);
    expect(seeded).toContain("Check role AWS_IAM_ROLE_001 in AWS_ACCOUNT_001; log in with SECRET_VALUE_001.");
  });
});
