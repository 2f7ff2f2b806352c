/**
 * A differential fuzz of whole conversations through the proxy, with the real SDK: random user
 * turns full of identifiers and escapes, and a scripted model that answers with the surrogates
 * it was sent, in random contexts (after escapes, glued to words, in tool input names, as
 * partial_json split anywhere). For every conversation:
 *  - the streamed answer (random chunking and byte splits) restores exactly as the JSON answer;
 *  - an echo of the user's turn comes back byte for byte (the round trip);
 *  - the restored answer, re-sent as a new conversation (a summary, a subagent's prompt), sends
 *    the upstream no original (restore only what will be masked again).
 */
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, expect, test } from "bun:test";
import { respond, startScriptedUpstream, type RecordedRequest, type ScriptedUpstream } from "../fixtures/scripted-upstream.ts";
import { encodeSse, messageEvents, seededRandom, type Block, type MessageSpec } from "../fixtures/sse-builder.ts";
import { startTestProxy, type TestProxy } from "../helpers/test-proxy.ts";

const CONVERSATIONS = 1000;
/** Another seed explores other conversations: FUZZ_SEED=… bun test tests/proxy/restore-fuzz.test.ts */
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);

let upstream: ScriptedUpstream;
let proxy: TestProxy;
let client: Anthropic;

beforeAll(async () => {
  upstream = await startScriptedUpstream();
  proxy = await startTestProxy({ upstreamUrl: upstream.url });
  client = new Anthropic({ baseURL: proxy.url, apiKey: proxy.key, maxRetries: 0 });
});
afterAll(async () => {
  await proxy.stop();
  await upstream.stop();
});

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const hex = (random: Random, n: number) => Array.from({ length: n }, () => pick(random, [..."0123456789abcdef"])).join("");
const digits = (random: Random, n: number) => Array.from({ length: n }, () => pick(random, [..."0123456789"])).join("");
const upper = (random: Random, n: number) => Array.from({ length: n }, () => pick(random, [..."ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"])).join("");

/** Lone words used as weak passwords: never used as filler. */
const WEAK_WORDS = ["tulips", "marigold", "juniper", "saffron", "quokka", "zephyrs"];
const FILLER = ["the", "host", "is", "slow", "비밀", "é", "→", "check", "and", "then", "run", "logs:", "ok"];
/** What may sit between two parts of a turn: spaces, escapes written out, quotes, non-ASCII. */
const SEPARATORS = [" ", "\n", "\t", ' "', '" ', "\\n", "\\t", "\\\"", "(", ", ", "%2F", " 한국어 ", "\\u0022"];

interface Turn {
  text: string;
  /** Every sensitive value in the turn, as the user wrote it. */
  values: string[];
}

function sensitivePart(random: Random): { text: string; value: string } {
  const account = digits(random, 12);
  switch (Math.floor(random() * 7)) {
    case 0: {
      const value = `i-0${hex(random, 16)}`;
      return { text: value, value };
    }
    case 1:
      return { text: `account ${account}`, value: account };
    case 2: {
      const value = `AKIA${upper(random, 16)}`;
      return { text: value, value };
    }
    case 3: {
      const role = pick(random, ["deploy-prod", "ci-runner-blue", "ops_admin_role", "Auditor2024"]) + hex(random, 2);
      return { text: `arn:aws:iam::${account}:role/${role}`, value: account };
    }
    case 4: {
      const value = pick(random, WEAK_WORDS);
      return { text: `password=${value} `, value };
    }
    case 5: {
      const value = `Pw${hex(random, 6)}${pick(random, ['"q', "\\b", "é한", "!x"])}`;
      return { text: `password: ${value} `, value };
    }
    default: {
      const value = `${pick(random, [3, 18, 34, 52, 54])}.${1 + Math.floor(random() * 250)}.${Math.floor(random() * 250)}.${1 + Math.floor(random() * 250)}`;
      return { text: value, value };
    }
  }
}

function userTurn(random: Random): Turn {
  const parts: string[] = [];
  const values: string[] = [];
  const count = 2 + Math.floor(random() * 5);
  for (let i = 0; i < count; i++) {
    if (random() < 0.3) parts.push(pick(random, FILLER));
    const part = sensitivePart(random);
    parts.push(part.text);
    values.push(part.value);
    // A surrogate the user typed: a literal, which must come back as typed.
    if (random() < 0.1) parts.push(`AWS_EC2_${digits(random, 3)}`);
  }
  let text = "";
  for (const part of parts) text += (text === "" ? "" : pick(random, SEPARATORS)) + part;
  return { text, values };
}

/** Where the model puts a surrogate: before it, and after it. */
const BEFORE = ["", " ", "\n", "\\n", '"', "(", "password=", "password: ", "x", "_", "%2F", "é", "\\u0022", "\\"];
const AFTER = ["", " ", ".", "\n", '"', "x", "_x", "9", ",", "\\n", "é"];

function mentions(random: Random, surrogates: readonly string[]): string {
  let text = pick(random, FILLER);
  const count = 1 + Math.floor(random() * 6);
  for (let i = 0; i < count; i++) {
    const surrogate = random() < 0.15 ? `AWS_EC2_${digits(random, 4)}` : pick(random, surrogates);
    text += pick(random, BEFORE) + surrogate + pick(random, AFTER);
    if (random() < 0.5) text += ` ${pick(random, FILLER)} `;
  }
  return text;
}

/** The model's answer to the masked request: an echo, free text, and a tool call. */
function answer(random: Random, request: RecordedRequest): MessageSpec {
  const masked = request.json.messages[0].content as string;
  const surrogates = masked.match(/(?:AWS|SECRET|IP|LITERAL)(?:_[A-Z0-9]+)*_\d{3,}/g) ?? ["AWS_EC2_001"];
  const input: Record<string, unknown> = { command: masked, notes: [mentions(random, surrogates), { deep: mentions(random, surrogates) }] };
  if (random() < 0.5) input[pick(random, surrogates)] = mentions(random, surrogates);
  const content: Block[] = [
    { type: "text", text: masked },
    { type: "text", text: mentions(random, surrogates) },
    { type: "tool_use", id: "toolu_fuzz", name: "Bash", input },
  ];
  return { content, stop_reason: "tool_use" };
}

/** Every string of the restored answer, as a summary or a subagent prompt would quote it. */
function clientView(content: Anthropic.ContentBlock[]): string {
  const strings: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === "string") strings.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") {
      for (const [key, member] of Object.entries(value)) {
        strings.push(key);
        walk(member);
      }
    }
  };
  for (const block of content) walk(block.type === "text" ? block.text : block.type === "tool_use" ? block.input : "");
  return strings.join("\n\n");
}

const forms = (value: string) => [value, JSON.stringify(value).slice(1, -1)];

test(`${CONVERSATIONS} random conversations: streamed = JSON, round trips byte-exact, the restored view re-sent leaks nothing`, async () => {
  const random = seededRandom(SEED);
  for (let n = 0; n < CONVERSATIONS; n++) {
    upstream.reset();
    const turn = userTurn(random);
    const specSeed = Math.floor(random() * 2 ** 31);
    const specOf = (request: RecordedRequest) => answer(seededRandom(specSeed), request);
    const textChunk = 1 + Math.floor(random() * 7);
    const jsonChunk = 1 + Math.floor(random() * 9);
    const splitCount = Math.floor(random() * 5);
    const splitAt = Array.from({ length: splitCount }, () => random());
    upstream.script(
      (request, signal) => respond.message(specOf(request))(request, signal),
      (request, signal) => {
        const spec = specOf(request);
        const bytes = new TextEncoder().encode(encodeSse(messageEvents(spec, { textChunk, jsonChunk }))).length;
        return respond.stream(spec, { textChunk, jsonChunk, splits: splitAt.map((at) => Math.floor(at * bytes)) })(request, signal);
      },
      respond.message({ content: [{ type: "text", text: "ok" }] }),
    );
    const ask = { model: "m", max_tokens: 10, messages: [{ role: "user" as const, content: turn.text }] };
    const json = await client.messages.create(ask);
    const streamed = await client.messages.stream(ask).finalMessage();
    const context = `conversation ${n}: ${JSON.stringify(turn.text)}`;

    // Both paths restore alike.
    const strip = (content: Anthropic.ContentBlock[]) => content.map(({ ...block }) => (delete (block as any).parsed_output, delete (block as any).__json_buf, block));
    expect({ context, content: strip(streamed.content) }).toEqual({ context, content: strip(json.content) });
    // The round trip: what the user wrote comes back exactly, as text and inside tool input.
    expect({ context, text: (json.content[0] as Anthropic.TextBlock).text }).toEqual({ context, text: turn.text });
    expect({ context, command: ((json.content[2] as Anthropic.ToolUseBlock).input as { command: string }).command }).toEqual({ context, command: turn.text });
    // Nothing of the turn went upstream, and the restored view, re-sent, sends none either.
    await client.messages.create({ model: "m", max_tokens: 10, messages: [{ role: "user", content: clientView(json.content) }] });
    expect(upstream.requests.length).toBe(3);
    for (const [i, request] of upstream.requests.entries()) {
      for (const value of turn.values) for (const form of forms(value)) expect({ context, request: i, leaked: request.bodyText.includes(form) ? form : "" }).toEqual({ context, request: i, leaked: "" });
    }
  }
}, 300_000);
