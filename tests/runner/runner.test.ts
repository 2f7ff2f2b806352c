/**
 * POST /v1/claude-code and /analyze with the real claude CLI as the child: its environment,
 * directory confinement, limits, timeouts and disconnects, and masking of everything it sends.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { respond, startScriptedUpstream, type ScriptedUpstream } from "../fixtures/scripted-upstream.ts";
import { CLAUDE_BIN } from "../helpers/claude-cli.ts";
import { tempDir } from "../helpers/proxy-process.ts";
import { startTestProxy, type TestProxy } from "../helpers/test-proxy.ts";

const INSTANCE = "i-0a1b2c3d4e5f67890";
const root = tempDir("cmp-runner-root-");
mkdirSync(join(root, "proj"));
writeFileSync(join(root, "proj", "app.py"), `INSTANCE = "${INSTANCE}"\nprint(INSTANCE)\n`);
symlinkSync("/etc", join(root, "escape"));

let upstream: ScriptedUpstream;
let proxy: TestProxy;
beforeAll(async () => {
  upstream = await startScriptedUpstream();
  proxy = await startTestProxy({
    upstreamUrl: upstream.url,
    env: { CLAUDE_BIN, CLAUDE_WORKDIR_ROOT: root, CLAUDE_MAX_CONCURRENCY: "1", CLAUDE_TIMEOUT: "4s" },
  });
});
afterAll(async () => {
  await proxy.stop();
  await upstream.stop();
});
beforeEach(() => upstream.reset());

const post = (path: string, body: unknown, init: RequestInit = {}) =>
  fetch(`${proxy.url}${path}`, { method: "POST", headers: { "x-api-key": proxy.key, "content-type": "application/json" }, body: JSON.stringify(body), ...init });
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
async function waitFor(condition: () => boolean, ms = 10_000) {
  for (let waited = 0; waited < ms && !condition(); waited += 25) await Bun.sleep(25);
  return condition();
}

describe("POST /v1/claude-code", () => {
  test("without a working_directory a run gets an empty directory of its own, outside the root, removed when it ends", async () => {
    upstream.script(
      respond.stream({ content: [{ type: "tool_use", id: "toolu_pwd", name: "Bash", input: { command: "pwd; ls -A | wc -l", description: "where" } }], stop_reason: "tool_use" }),
      respond.stream({ content: [{ type: "text", text: "ok" }] }),
    );
    const response = await post("/v1/claude-code", { prompt: "where am I", allowed_tools: ["Bash"] });
    expect(response.status).toBe(200);
    const result = upstream.requests.at(-1)!.json.messages.flatMap((m: any) => (Array.isArray(m.content) ? m.content : [])).find((b: any) => b.type === "tool_result");
    const text = typeof result.content === "string" ? result.content : result.content.map((b: any) => b.text).join("");
    const [dir, count] = text.trim().split("\n").map((line: string) => line.trim());
    expect(dir).toMatch(/\/cmp-run-[^/]+$/);
    expect(dir!.startsWith(root)).toBe(false);
    expect(count).toBe("0");
    expect(await waitFor(() => !existsSync(dir!))).toBe(true);
  }, 60_000);

  test("runs claude through this proxy: masked upstream, restored result, no upstream key in the child", async () => {
    upstream.script(
      respond.stream({ content: [{ type: "tool_use", id: "toolu_env", name: "Bash", input: { command: "env > env.txt && echo AWS_EC2_001", description: "dump env" } }], stop_reason: "tool_use" }),
      respond.stream({ content: [{ type: "text", text: "Checked AWS_EC2_001." }] }),
    );
    // AWS_EC2_001 must exist in the tenant before the model refers to it.
    await post("/v1/mask", { text: INSTANCE });
    const response = await post("/v1/claude-code", { prompt: `Check ${INSTANCE}`, allowed_tools: ["Bash"], working_directory: "proj" });
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body).toMatchObject({ result: `Checked ${INSTANCE}.`, is_error: false, num_turns: 2 });
    expect(Object.keys(body).sort()).toEqual(["is_error", "num_turns", "result", "session_id", "total_cost_usd", "usage"]);

    const env = readFileSync(join(root, "proj", "env.txt"), "utf8");
    expect(env).not.toContain("sk-ant-upstream-test-key");
    expect(env).not.toContain("ANTHROPIC_API_KEY");
    expect(env).toContain(`ANTHROPIC_BASE_URL=${proxy.url}\n`);
    expect(env).toContain(`ANTHROPIC_AUTH_TOKEN=${proxy.key}\n`);
    expect(env).toContain("DISABLE_TELEMETRY=1\n");
    expect(env).toContain("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1\n");

    const seen = upstream.requests.map((request) => request.bodyText).join("\n");
    expect(upstream.requests.filter((request) => request.path.startsWith("/v1/messages")).length).toBe(2);
    expect(seen).not.toContain(INSTANCE);
    expect(seen).not.toContain(proxy.key); // the env dump went back masked
    expect(proxy.services.runner.activeCount).toBe(0);
  }, 60_000);

  test("stream: true returns the CLI's stream-json lines as SSE", async () => {
    upstream.script(respond.stream({ content: [{ type: "text", text: "Streaming AWS_EC2_001." }] }));
    const response = await post("/v1/claude-code", { prompt: `Stream about ${INSTANCE}`, stream: true });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const text = await response.text();
    const events = [...text.matchAll(/^event: (\w+)\ndata: (.*)\n\n/gm)].map((m) => ({ event: m[1], data: JSON.parse(m[2]!) }));
    expect(events[0]!.event).toBe("system");
    expect(events.at(-1)!.event).toBe("result");
    expect(events.at(-1)!.data.result).toBe(`Streaming ${INSTANCE}.`);
  }, 60_000);

  test.each([
    ["..", "working_directory must stay inside CLAUDE_WORKDIR_ROOT (no '..', no absolute paths or symlinks leading elsewhere)."],
    ["/etc", "working_directory must stay inside CLAUDE_WORKDIR_ROOT (no '..', no absolute paths or symlinks leading elsewhere)."],
    ["escape", "working_directory must stay inside CLAUDE_WORKDIR_ROOT (no '..', no absolute paths or symlinks leading elsewhere)."],
    // Up and out to a name nothing on the machine has (a fixed name such as `x` may exist in the temp dir).
    [`proj/../../missing-${crypto.randomUUID()}`, "working_directory does not exist under CLAUDE_WORKDIR_ROOT; use a path relative to it."],
    // The root holds every run's directory.
    [".", "working_directory must name a directory inside CLAUDE_WORKDIR_ROOT, not the root itself."],
    ["proj/..", "working_directory must name a directory inside CLAUDE_WORKDIR_ROOT, not the root itself."],
  ])("working_directory %p → 400", async (dir, message) => {
    const response = await post("/v1/claude-code", { prompt: "hi", working_directory: dir });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ type: "error", error: { type: "invalid_request_error", message } });
    expect(upstream.requests.length).toBe(0);
  });

  test("bad fields → 400 naming the field", async () => {
    const response = await post("/v1/claude-code", { prompt: "", max_turns: 0 });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error.message).toStartWith("Invalid request field /prompt:");
  });

  test("over CLAUDE_MAX_CONCURRENCY → 429 with retry-after; a client that goes away kills its child", async () => {
    let upstreamAborted = false;
    upstream.script(respond.stall(() => (upstreamAborted = true)));
    const controller = new AbortController();
    const first = post("/v1/claude-code", { prompt: "hang" }, { signal: controller.signal }).catch(() => "aborted");
    expect(await waitFor(() => proxy.services.runner.activeCount === 1)).toBe(true);
    const pid = proxy.services.runner.activePids()[0]!;
    expect(await waitFor(() => upstream.requests.some((r) => r.path.startsWith("/v1/messages")))).toBe(true);

    const second = await post("/v1/claude-code", { prompt: "me too" });
    expect(second.status).toBe(429);
    expect(second.headers.get("retry-after")).toBe("5");
    expect(((await second.json()) as any).error.type).toBe("rate_limit_error");

    controller.abort();
    expect(await first).toBe("aborted");
    expect(await waitFor(() => !alive(pid))).toBe(true);
    expect(await waitFor(() => proxy.services.runner.activeCount === 0)).toBe(true);
    expect(await waitFor(() => upstreamAborted)).toBe(true);
  }, 60_000);

  test("a run longer than CLAUDE_TIMEOUT is killed and reported", async () => {
    upstream.script(respond.stall());
    const started = post("/v1/claude-code", { prompt: "hang forever" });
    expect(await waitFor(() => proxy.services.runner.activeCount === 1)).toBe(true);
    const pid = proxy.services.runner.activePids()[0]!;
    const response = await started;
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({ type: "error", error: { type: "api_error", message: "The Claude Code run exceeded CLAUDE_TIMEOUT and was stopped." } });
    expect(alive(pid)).toBe(false);
  }, 60_000);
});

describe("POST /v1/claude-code/analyze", () => {
  test("builds the prompt for the type, offers only Read/Grep/Glob, restores the answer", async () => {
    upstream.script(respond.stream({ content: [{ type: "text", text: "app.py hard-codes AWS_EC2_001." }] }));
    await post("/v1/mask", { text: INSTANCE });
    const response = await post("/v1/claude-code/analyze", { code_path: "proj/app.py", analysis_type: "aws", specific_prompt: "instance IDs" });
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).result).toBe(`app.py hard-codes ${INSTANCE}.`);
    const request = upstream.requests.find((r) => r.path.startsWith("/v1/messages?"))!;
    // The CLI adds an internal placeholder tool; no tool that can change or run anything is offered.
    const offered = request.json.tools.map((tool: any) => tool.name).filter((name: string) => name !== "DeferredToolPlaceholder");
    expect(offered.sort()).toEqual(["Glob", "Grep", "Read"]);
    expect(JSON.stringify(request.json.messages)).toContain("Analyse the code at `app.py`");
    expect(JSON.stringify(request.json.messages)).toContain("Pay particular attention to: instance IDs");
  }, 60_000);

  test("an unknown analysis_type → 400", async () => {
    const response = await post("/v1/claude-code/analyze", { code_path: "proj", analysis_type: "vibes" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      type: "error",
      error: { type: "invalid_request_error", message: "analysis_type must be one of security, aws, performance, quality." },
    });
  });
});

test("a missing claude binary → 503 naming CLAUDE_BIN", async () => {
  const broken = await startTestProxy({ upstreamUrl: upstream.url, env: { CLAUDE_BIN: "/nonexistent/claude", CLAUDE_WORKDIR_ROOT: root } });
  try {
    const response = await fetch(`${broken.url}/v1/claude-code`, {
      method: "POST",
      headers: { "x-api-key": broken.key, "content-type": "application/json" },
      body: JSON.stringify({ prompt: "hi" }),
    });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      type: "error",
      error: { type: "api_error", message: "The claude CLI could not be started; set CLAUDE_BIN to the claude executable (see `claude-masking-proxy verify-setup`)." },
    });
  } finally {
    await broken.stop();
  }
});
