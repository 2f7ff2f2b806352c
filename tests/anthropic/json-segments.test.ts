/**
 * The segment path of the request masker: the raw body split without parsing, segments seen
 * before reused, and the egress guard still covering every byte. Its output must be exactly
 * what parsing everything gives.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { splitRequestBody } from "../../src/anthropic/json-segments.ts";
import { MaskedTextCache } from "../../src/anthropic/masked-text-cache.ts";
import { MessagesService } from "../../src/anthropic/messages-service.ts";
import { ThinkingCache } from "../../src/anthropic/thinking-cache.ts";
import { loadConfig } from "../../src/config.ts";
import { createCore } from "../../src/core.ts";
import { createLogger } from "../../src/log.ts";
import { parseJsonObject } from "../../src/server/body.ts";
import { tempDir } from "../helpers/proxy-process.ts";

describe("splitRequestBody", () => {
  test("splits top-level members and messages elements into their exact raw texts", () => {
    const text = ` { "model" : "m",\n "messages":[ {"role":"user","content":"a \\"quoted\\" ] } text"} ,{"role":"assistant","content":[{"type":"text","text":"x"}]}],"max_tokens":12,"stream":true,"system":[{"type":"text","text":"s"}] } `;
    const split = splitRequestBody(text)!;
    expect(split.members.map((member) => [member.key, member.isMessages, member.segments.map((segment) => segment.text)])).toEqual([
      ["model", false, ['"m"']],
      ["messages", true, ['{"role":"user","content":"a \\"quoted\\" ] } text"}', '{"role":"assistant","content":[{"type":"text","text":"x"}]}']],
      ["max_tokens", false, ["12"]],
      ["stream", false, ["true"]],
      ["system", false, ['[{"type":"text","text":"s"}]']],
    ]);
    expect(splitRequestBody('{"messages":[]}')!.members).toEqual([{ key: "messages", segments: [], isMessages: true }]);
    expect(splitRequestBody("{}")!.members).toEqual([]);
  });

  test.each([
    ["", "empty"],
    ["[1,2]", "not an object"],
    ['{"a":1} x', "trailing text"],
    ['{"a" 1}', "missing colon"],
    ['{"a":"unterminated}', "unterminated string"],
    ['{"a":[1,2}', "unbalanced"],
    ['{"a":1,}', "trailing comma"],
    ['{a:1}', "unquoted key"],
    ['{"messages":[{"x":1} {"y":2}]}', "missing comma between messages"],
  ])("%p is not split (%s): the ordinary parser reports it", (text) => {
    expect(splitRequestBody(text)).toBeUndefined();
  });
});

describe("masking by segments", async () => {
  const loaded = loadConfig({ DATA_DIR: tempDir("cmp-seg-"), ANTHROPIC_API_KEY: "sk-ant-test-000000000000", ANTHROPIC_UPSTREAM_URL: "http://127.0.0.1:9", PROXY_API_KEYS: "t:k-0123456789abcdef" });
  if (!loaded.ok) throw new Error(loaded.problems.join("\n"));
  const core = await createCore(loaded.config);
  afterAll(() => core.store.close());
  const service = (segments: boolean) =>
    new MessagesService({
      masker: core.masker,
      store: core.store,
      upstream: undefined as never,
      syntax: core.syntax,
      thinking: new ThinkingCache(),
      maskedTexts: new MaskedTextCache({ maxChars: 1 << 20, maxAgeMs: 60_000 }),
      maskedSegments: segments ? new MaskedTextCache({ maxChars: 1 << 20, maxAgeMs: 60_000, minLength: 64, keepText: false }) : undefined,
      logger: createLogger("error", () => {}),
    });

  const history = [
    { role: "user", content: [{ type: "text", text: "Why is i-0a1b2c3d4e5f67890 slow? Its role is arn:aws:iam::123456789012:role/deploy-prod." }] },
    { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "aws ec2 describe-instances --instance-ids i-0a1b2c3d4e5f67890" } }] },
    { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: '{"Reservations":[{"OwnerId":"123456789012","Instances":[{"PublicIpAddress":"54.12.34.56"}]}]}' }] },
  ];
  const body = (messages: unknown[]) =>
    JSON.stringify({ model: "claude-x", max_tokens: 100, system: [{ type: "text", text: "AWS account 123456789012, key AKIAIOSFODNN7EXAMPLE" }], tools: [{ name: "Bash", description: "Runs commands in s3://corp-logs-bucket", input_schema: { type: "object" } }], messages, stream: true });

  test("gives byte for byte what parsing the whole body gives, first and re-sent", async () => {
    const bySegments = service(true);
    const byParsing = service(false);
    const first = body(history);
    const resent = body([...history, { role: "user", content: "and AKIAI44QH8DHBEXAMPLE?" }]);
    for (const text of [first, first, resent, resent]) {
      const a = await bySegments.maskRequestText("acme", text, parseJsonObject);
      const b = await byParsing.maskRequestText("acme", text, parseJsonObject);
      const [aText, bText] = [await a.body.text(), await b.body.text()];
      expect(aText).toBe(bText);
      expect(new Set(a.entities.map((entity) => entity.original))).toEqual(new Set(b.entities.map((entity) => entity.original)));
      for (const original of ["i-0a1b2c3d4e5f67890", "123456789012", "AKIAIOSFODNN7EXAMPLE", "54.12.34.56", "corp-logs-bucket", "deploy-prod"]) expect(aText).not.toContain(original);
    }
  });

  test("an original found in a new segment is also caught inside a re-sent (cached) one", async () => {
    const masker = service(true);
    const password = "Tr0ub4dor&3-horse-battery";
    const quoted = { role: "user", content: `Is "${password}" a strong password for the staging database, do you think?` };
    // Alone, nothing in it looks like a secret: seen twice, it is cached as it is.
    for (let i = 0; i < 2; i++) expect(await (await masker.maskRequestText("acme", body([quoted]), parseJsonObject)).body.text()).toContain(password);
    // Re-sent next to an assignment that reveals the value: the cached segment must not carry it out.
    const both = await (await masker.maskRequestText("acme", body([quoted, { role: "user", content: `DB_PASSWORD=${password}` }]), parseJsonObject)).body.text();
    expect(both).not.toContain(password);
    expect(both).toContain('Is \\"SECRET_VALUE_');
  });

  test("the same holds when the re-sent segment is large and the new turn brings many originals (one regex for all)", async () => {
    const masker = service(true);
    const password = "Hunter2-correct-horse-staple";
    const filler = "Deployment log line without anything sensitive in it at all. ".repeat(1_500);
    const quoted = { role: "user", content: `${filler}\nThe staging password was ${password} last week.` };
    for (let i = 0; i < 2; i++) expect(await (await masker.maskRequestText("acme", body([quoted]), parseJsonObject)).body.text()).toContain(password);
    const instances = Array.from({ length: 60 }, (_, i) => `i-0${i.toString(16).padStart(16, "0")}`);
    const newTurn = { role: "user", content: `DB_PASSWORD=${password}\n${instances.join("\n")}` };
    const both = await (await masker.maskRequestText("acme", body([quoted, newTurn]), parseJsonObject)).body.text();
    expect(both).not.toContain(password);
    for (const instance of instances) expect(both).not.toContain(instance);
  });
});
