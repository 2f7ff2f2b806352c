/**
 * Regression: "100k-deep nested JSON gives 500 instead of 400". The walker and JSON.stringify
 * recursed once per level and overflowed the stack; now every route that parses JSON refuses a
 * body nested deeper than 512 levels with a 400, on a first send and on a re-sent conversation
 * (whose new pieces take the history-reuse path), and a body exactly 512 deep is still masked.
 */
import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { startScriptedUpstream } from "../fixtures/scripted-upstream.ts";
import { startTestProxy } from "../helpers/test-proxy.ts";

const upstream = await startScriptedUpstream();
const proxy = await startTestProxy({ upstreamUrl: upstream.url });
afterAll(async () => {
  await proxy.stop();
  await upstream.stop();
});
beforeEach(() => upstream.reset());

const TOO_DEEP = {
  type: "error",
  error: {
    type: "invalid_request_error",
    message: "Request JSON is nested deeper than 512 levels; send a flatter structure (real Messages API requests nest far less).",
  },
};
const DEEP = 100_000;

/** `levels` nested arrays around `leaf` (raw JSON): built as text, JSON.stringify would overflow here too. */
const arrays = (levels: number, leaf = "1") => "[".repeat(levels) + leaf + "]".repeat(levels);
/** `levels` nested objects `{"a":…}` around `leaf`. */
const objects = (levels: number, leaf = "1") => '{"a":'.repeat(levels) + leaf + "}".repeat(levels);

const post = (path: string, body: string) =>
  fetch(`${proxy.url}${path}`, { method: "POST", headers: { "x-api-key": proxy.key, "content-type": "application/json" }, body });

async function expectTooDeep(response: Response) {
  expect(response.status).toBe(400);
  expect(response.headers.get("content-type")).toBe("application/json");
  expect(response.headers.get("x-should-retry")).toBe("false");
  expect(await response.json()).toEqual(TOO_DEEP);
}

/** A first user turn long enough (over 1 KB) for the history to find it again. */
const FIRST_TURN = `{"role":"user","content":"Why is i-0a1b2c3d4e5f67890 slow? ${"Some context about the deployment. ".repeat(60)}"}`;
const REPLY = '{"role":"assistant","content":[{"type":"text","text":"Let me look."}]}';
const messagesBody = (messages: string[]) => `{"model":"claude-x","max_tokens":5,"messages":[${messages.join(",")}]}`;
/** An assistant turn whose tool_use input holds `input` (raw JSON): it sits 6 levels deep in the body. */
const toolUseTurn = (input: string) => `{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"Bash","input":${input}}]}`;
/** A user turn whose content (normally an array of blocks) is `content` (raw JSON): 4 levels deep. */
const contentTurn = (content: string) => `{"role":"user","content":${content}}`;

const errorLines = () => proxy.logs.filter((line) => JSON.parse(line).level === "error");

describe("100k-deep JSON is a 400 on every route that parses JSON", () => {
  const wholeBodies = {
    "nested arrays as the whole body": arrays(DEEP),
    "nested objects as the whole body": objects(DEEP),
    "nested arrays as a top-level member": `{"model":"claude-x","max_tokens":5,"metadata":${arrays(DEEP)},"messages":[]}`,
  };
  const routes = ["/v1/messages", "/v1/messages/count_tokens", "/v1/mask", "/v1/unmask", "/v1/claude-code", "/v1/claude-code/analyze"];
  for (const [name, body] of Object.entries(wholeBodies)) {
    test.each(routes)(`${name} → 400 on %s, nothing forwarded, no error logged`, async (path) => {
      const errorsBefore = errorLines().length;
      await expectTooDeep(await post(path, body));
      expect(upstream.requests).toEqual([]);
      expect(errorLines().length).toBe(errorsBefore);
    });
  }
});

describe("100k-deep JSON inside a Messages body: first send and re-sent conversation", () => {
  const cases = {
    "arrays as a message's content": contentTurn(arrays(DEEP)),
    "objects as a message's content": contentTurn(objects(DEEP)),
    "arrays inside a tool_use input": toolUseTurn(`{"command":${arrays(DEEP, '"ls"')}}`),
    "objects inside a tool_use input": toolUseTurn(objects(DEEP, '"ls"')),
  };
  for (const [name, deepTurn] of Object.entries(cases)) {
    test(`${name} → 400, as a first send and as the new turn of a re-sent conversation`, async () => {
      // First send: the deep turn is in the body from the start.
      await expectTooDeep(await post("/v1/messages", messagesBody([FIRST_TURN, deepTurn])));
      await expectTooDeep(await post("/v1/messages/count_tokens", messagesBody([FIRST_TURN, deepTurn])));
      expect(upstream.requests).toEqual([]);
      // Re-sent: the first turn is remembered, so only the new turns are parsed (the history-reuse path).
      const first = await post("/v1/messages", messagesBody([FIRST_TURN]));
      expect(first.status).toBe(200);
      await first.text();
      await expectTooDeep(await post("/v1/messages", messagesBody([FIRST_TURN, REPLY, deepTurn])));
      expect(upstream.requests.length).toBe(1);
      expect(errorLines()).toEqual([]);
    });
  }
});

describe("the limit is exact: 512 levels pass and are masked, 513 are refused", () => {
  // The tool_use input object is at depth 6; `n` arrays inside it make the body 6 + n deep.
  const atDepth = (depth: number) => toolUseTurn(`{"command":${arrays(depth - 6, '"ssh i-0a1b2c3d4e5f67890"')}}`);

  test("first send", async () => {
    const ok = await post("/v1/messages", messagesBody([FIRST_TURN, atDepth(512)]));
    expect(ok.status).toBe(200);
    await ok.text();
    expect(upstream.requests.length).toBe(1);
    const sent = upstream.requests[0]!.bodyText;
    expect(sent).toContain(`${"[".repeat(506)}"ssh AWS_EC2_001"${"]".repeat(506)}`);
    expect(sent).not.toContain("i-0a1b2c3d4e5f67890");
    await expectTooDeep(await post("/v1/messages", messagesBody([FIRST_TURN, atDepth(513)])));
    expect(upstream.requests.length).toBe(1);
  });

  test("re-sent conversation", async () => {
    const first = await post("/v1/messages", messagesBody([FIRST_TURN]));
    expect(first.status).toBe(200);
    await first.text();
    const ok = await post("/v1/messages", messagesBody([FIRST_TURN, REPLY, atDepth(512)]));
    expect(ok.status).toBe(200);
    await ok.text();
    expect(upstream.requests.length).toBe(2);
    const sent = upstream.requests[1]!.bodyText;
    expect(sent).toContain(`${"[".repeat(506)}"ssh AWS_EC2_001"${"]".repeat(506)}`);
    expect(sent).not.toContain("i-0a1b2c3d4e5f67890");
    await expectTooDeep(await post("/v1/messages", messagesBody([FIRST_TURN, REPLY, atDepth(513)])));
    expect(upstream.requests.length).toBe(2);
    expect(errorLines()).toEqual([]);
  });
});

test("brackets and escaped quotes inside strings do not count as nesting", async () => {
  const text = `${"[{".repeat(2000)} \\" ${"[".repeat(1000)}`;
  const response = await post("/v1/mask", JSON.stringify({ text }));
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ text, entities: [] });
});
