/** SIGTERM: stop accepting, let the in-flight stream finish, kill runner children, exit 0. */
import { afterAll, expect, test } from "bun:test";
import { respond, startScriptedUpstream } from "../fixtures/scripted-upstream.ts";
import { startProxy, tempDir } from "../helpers/proxy-process.ts";

const upstream = await startScriptedUpstream();
afterAll(() => upstream.stop());

test("an in-flight stream completes after SIGTERM and the process exits 0", async () => {
  const proxy = await startProxy({
    env: { DATA_DIR: tempDir(), ANTHROPIC_API_KEY: "sk-ant-test-0000000000", ANTHROPIC_UPSTREAM_URL: upstream.url, PROXY_API_KEYS: "ops:shutdown-key-123456" },
  });
  // ~40 events, 40 ms apart: the stream is still running when the signal arrives.
  upstream.script(respond.stream({ content: [{ type: "text", text: "a slow answer that takes a while. ".repeat(4) }] }, { textChunk: 4, splits: Array.from({ length: 40 }, (_, i) => (i + 1) * 40), delayMs: 40 }));
  const response = await fetch(`${proxy.url}/v1/messages`, {
    method: "POST",
    headers: { "x-api-key": "shutdown-key-123456", "content-type": "application/json" },
    body: JSON.stringify({ model: "m", max_tokens: 10, stream: true, messages: [{ role: "user", content: "hi" }] }),
  });
  const reader = response.body!.getReader();
  const first = await reader.read();
  expect(first.done).toBe(false);
  proxy.proc.kill("SIGTERM");
  let text = new TextDecoder().decode(first.value);
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += new TextDecoder().decode(chunk.value);
  expect(text.trimEnd().endsWith('event: message_stop\ndata: {"type":"message_stop"}')).toBe(true);
  expect(await proxy.proc.exited).toBe(0);
  expect(proxy.output()).toContain('"msg":"shutting down","signal":"SIGTERM"');
  expect(proxy.output()).toContain('"msg":"stopped"');
  // New connections are refused once it has stopped.
  expect(await fetch(`${proxy.url}/health`).then(() => "answered", () => "refused")).toBe("refused");
}, 30_000);

test("runner children are killed on shutdown: no claude process is left behind", async () => {
  const { CLAUDE_BIN } = await import("../helpers/claude-cli.ts");
  const root = tempDir("cmp-shutdown-root-");
  const proxy = await startProxy({
    env: {
      DATA_DIR: tempDir(),
      ANTHROPIC_API_KEY: "sk-ant-test-0000000000",
      ANTHROPIC_UPSTREAM_URL: upstream.url,
      PROXY_API_KEYS: "ops:shutdown-key-123456",
      CLAUDE_BIN,
      CLAUDE_WORKDIR_ROOT: root,
    },
  });
  upstream.script(respond.stall());
  const run = fetch(`${proxy.url}/v1/claude-code`, {
    method: "POST",
    headers: { "x-api-key": "shutdown-key-123456", "content-type": "application/json" },
    body: JSON.stringify({ prompt: "wait" }),
  }).catch(() => undefined);
  const children = async () => {
    const ps = Bun.spawn(["ps", "-o", "pid=", "--ppid", String(proxy.proc.pid)], { stdout: "pipe" });
    return (await new Response(ps.stdout).text()).split("\n").map((line) => Number(line.trim())).filter(Boolean);
  };
  let pids: number[] = [];
  for (let i = 0; i < 200 && pids.length === 0; i++) {
    pids = await children();
    if (pids.length === 0) await Bun.sleep(25);
  }
  expect(pids.length).toBe(1);
  proxy.proc.kill("SIGTERM");
  expect(await proxy.proc.exited).toBe(0);
  await run;
  const alive = pids.filter((pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
  expect(alive).toEqual([]);
}, 30_000);
