/**
 * The runner routes as HTTP: a real RunnerService over a real ClaudeRunner, whose claude
 * binary is a small shell script printing stream-json lines, so each outcome (result, stream,
 * timeout, client gone) is exact and quick.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ProxyError } from "../../../src/errors.ts";
import { createLogger } from "../../../src/log.ts";
import { ClaudeRunner } from "../../../src/runner/claude-runner.ts";
import { RunnerService } from "../../../src/runner/runner-service.ts";
import { probeIsolation } from "../../../src/runner/sandbox.ts";
import { runnerHandlers } from "../../../src/server/routes/runner.ts";
import { CallRecord } from "../../../src/server/telemetry.ts";
import { tempDir } from "../../helpers/proxy-process.ts";

const SYSTEM = '{"type":"system"}';
const RESULT = '{"type":"result","result":"done","is_error":false,"num_turns":1,"session_id":"s1","total_cost_usd":0,"usage":{}}';

// The fake CLI: the prompt arrives on standard input and picks the behaviour.
const bin = join(tempDir("cmp-runner-route-bin-"), "claude");
writeFileSync(
  bin,
  `#!/bin/sh
prompt=$(cat)
case "$prompt" in
  hang) echo '${SYSTEM}'; sleep 30 ;;
  odd) echo '${SYSTEM}'; echo 'not json'; echo '{"no_type":1}'; echo '${RESULT}' ;;
  noresult) echo '${SYSTEM}' ;;
  fail) exit 3 ;;
  *) echo '${SYSTEM}'; echo '${RESULT}' ;;
esac
`,
);
chmodSync(bin, 0o755);

const root = tempDir("cmp-runner-route-root-");
mkdirSync(join(root, "proj"));
writeFileSync(join(root, "proj", "app.py"), "print('hi')\n");
const childHome = tempDir("cmp-runner-route-home-");
const isolation = await probeIsolation("bubblewrap");
const logs: string[] = [];
const logger = createLogger("debug", (line) => logs.push(line));

const makeRunner = (timeoutMs: number) =>
  new ClaudeRunner({ claudeBin: bin, timeoutMs, maxPerTenant: 4, maxTotal: 4, proxyUrl: () => "http://127.0.0.1:9", childHome, isolation, logger });
/** Long enough never to fire in the other cases. */
const runner = makeRunner(60_000);
/** Fires while the `hang` script sleeps. */
const hastyRunner = makeRunner(500);
const MAX_BODY = 4096;
const handlers = runnerHandlers(new RunnerService(runner, root), MAX_BODY);
const hastyHandlers = runnerHandlers(new RunnerService(hastyRunner, root), MAX_BODY);

afterAll(() => {
  runner.killAll();
  hastyRunner.killAll();
  for (const dir of [dirname(bin), root, childHome]) rmSync(dir, { recursive: true, force: true });
});

const context = (path: string, body: unknown, signal?: AbortSignal) => ({
  tenant: "acme",
  callerKey: "test-key-acme-0123456789",
  request: new Request(`http://proxy.test${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal,
  }),
  call: new CallRecord(),
});

async function waitFor(condition: () => boolean, ms = 10_000) {
  for (let waited = 0; waited < ms && !condition(); waited += 25) await Bun.sleep(25);
  return condition();
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The thrown value, or undefined if it resolved. */
const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe("run, not streamed", () => {
  test("→ the exact JSON result object", async () => {
    const response = await handlers.run(context("/v1/claude-code", { prompt: "go" }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json;charset=utf-8");
    expect(await response.text()).toBe('{"result":"done","is_error":false,"num_turns":1,"usage":{},"total_cost_usd":0,"session_id":"s1"}');
    expect(runner.activeCount).toBe(0);
  });

  test("a run with no result line → 503 naming CLAUDE_BIN", async () => {
    const error = await failureOf(handlers.run(context("/v1/claude-code", { prompt: "noresult" })));
    expect(error).toBeInstanceOf(ProxyError);
    expect((error as ProxyError).status).toBe(503);
    expect((error as ProxyError).message).toBe("The claude CLI did not run; check CLAUDE_BIN (run `claude-masking-proxy verify-setup` on the proxy host).");
  });

  test("a CLI that exits non-zero without output → 503 naming CLAUDE_BIN", async () => {
    const error = await failureOf(handlers.run(context("/v1/claude-code", { prompt: "fail" })));
    expect(error).toBeInstanceOf(ProxyError);
    expect((error as ProxyError).status).toBe(503);
    expect((error as ProxyError).message).toBe("The claude CLI did not run; check CLAUDE_BIN (run `claude-masking-proxy verify-setup` on the proxy host).");
  });

  test("a timed-out run → 504", async () => {
    const error = await failureOf(hastyHandlers.run(context("/v1/claude-code", { prompt: "hang" })));
    expect(error).toBeInstanceOf(ProxyError);
    expect((error as ProxyError).status).toBe(504);
    expect((error as ProxyError).message).toBe("The Claude Code run exceeded CLAUDE_TIMEOUT and was stopped.");
    expect(hastyRunner.activeCount).toBe(0);
  });

  test("the request's signal aborting kills the child", async () => {
    const controller = new AbortController();
    const pending = failureOf(handlers.run(context("/v1/claude-code", { prompt: "hang" }, controller.signal)));
    expect(await waitFor(() => runner.activeCount === 1)).toBe(true);
    const pid = runner.activePids()[0]!;
    controller.abort();
    // Nobody is left to read it: the killed run simply has no result line.
    const error = await pending;
    expect((error as ProxyError).status).toBe(503);
    expect(await waitFor(() => runner.activeCount === 0)).toBe(true);
    expect(alive(pid)).toBe(false);
  });
});

describe("run, streamed", () => {
  test("→ text/event-stream with each line as an event", async () => {
    const response = await handlers.run(context("/v1/claude-code", { prompt: "go", stream: true }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(await response.text()).toBe(`event: system\ndata: ${SYSTEM}\n\nevent: result\ndata: ${RESULT}\n\n`);
    expect(await waitFor(() => runner.activeCount === 0)).toBe(true);
  });

  test("a line that is not JSON, or has no type, becomes a `message` event", async () => {
    const response = await handlers.run(context("/v1/claude-code", { prompt: "odd", stream: true }));
    expect(await response.text()).toBe(
      `event: system\ndata: ${SYSTEM}\n\n` + "event: message\ndata: not json\n\n" + 'event: message\ndata: {"no_type":1}\n\n' + `event: result\ndata: ${RESULT}\n\n`,
    );
  });

  test("a run killed for the timeout ends with exactly one SSE error event", async () => {
    const response = await hastyHandlers.run(context("/v1/claude-code", { prompt: "hang", stream: true }));
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(await response.text()).toBe(
      `event: system\ndata: ${SYSTEM}\n\n` +
        'event: error\ndata: {"type":"error","error":{"type":"api_error","message":"The Claude Code run exceeded CLAUDE_TIMEOUT and was stopped."}}\n\n',
    );
    expect(await waitFor(() => hastyRunner.activeCount === 0)).toBe(true);
  });

  test("cancelling the response body kills the child", async () => {
    const response = await handlers.run(context("/v1/claude-code", { prompt: "hang", stream: true }));
    expect(runner.activeCount).toBe(1);
    const pid = runner.activePids()[0]!;
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe(`event: system\ndata: ${SYSTEM}\n\n`);
    await reader.cancel();
    expect(await waitFor(() => runner.activeCount === 0)).toBe(true);
    expect(alive(pid)).toBe(false);
  });
});

describe("analyze", () => {
  test("not streamed → the exact JSON result object", async () => {
    const response = await handlers.analyze(context("/v1/claude-code/analyze", { code_path: "proj/app.py", analysis_type: "security" }));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"result":"done","is_error":false,"num_turns":1,"usage":{},"total_cost_usd":0,"session_id":"s1"}');
  });

  test("streamed → the exact SSE text", async () => {
    const response = await handlers.analyze(context("/v1/claude-code/analyze", { code_path: "proj", analysis_type: "aws", stream: true }));
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(await response.text()).toBe(`event: system\ndata: ${SYSTEM}\n\nevent: result\ndata: ${RESULT}\n\n`);
  });
});

describe("request bodies", () => {
  test("a body over maxBodyBytes → 413 before any run starts", async () => {
    const error = await failureOf(handlers.run(context("/v1/claude-code", { prompt: "x".repeat(MAX_BODY) })));
    expect(error).toBeInstanceOf(ProxyError);
    expect((error as ProxyError).status).toBe(413);
    expect((error as ProxyError).message).toBe(
      `Request body exceeds the proxy limit of ${MAX_BODY} bytes; send a smaller request or raise MAX_BODY_BYTES.`,
    );
    expect(runner.activeCount).toBe(0);
  });

  test("an invalid field → 400 naming it, no run started", async () => {
    const error = await failureOf(handlers.run(context("/v1/claude-code", { prompt: "" })));
    expect(error).toBeInstanceOf(ProxyError);
    expect((error as ProxyError).status).toBe(400);
    expect((error as ProxyError).message).toBe("Invalid request field /prompt: Expected string length greater or equal to 1.");
    expect(runner.activeCount).toBe(0);
  });
});
