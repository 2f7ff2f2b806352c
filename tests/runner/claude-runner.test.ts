/**
 * ClaudeRunner on its own, with a scripted stand-in for the CLI (a shell script that waits):
 * the command it builds, its limits per tenant and in all, and its refusal without isolation.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ProxyError } from "../../src/errors.ts";
import { createLogger } from "../../src/log.ts";
import { ClaudeRunner, type RunnerConfig, type RunOptions } from "../../src/runner/claude-runner.ts";
import { probeIsolation } from "../../src/runner/sandbox.ts";
import { tempDir } from "../helpers/proxy-process.ts";

const bin = join(tempDir("cmp-runner-unit-"), "claude");
writeFileSync(bin, "#!/bin/sh\ncat > /dev/null\nsleep 30\n");
chmodSync(bin, 0o755);
const workdir = tempDir("cmp-runner-unit-work-");

const runners: ClaudeRunner[] = [];
const makeRunner = (overrides: Partial<RunnerConfig> = {}) => {
  const runner = new ClaudeRunner({
    claudeBin: bin,
    timeoutMs: 60_000,
    maxPerTenant: 2,
    maxTotal: 3,
    proxyUrl: () => "http://127.0.0.1:9",
    childHome: tempDir("cmp-runner-unit-home-"),
    isolation: { mode: "unsafe-none", ready: true, detail: "test" },
    logger: createLogger("error", () => {}),
    ...overrides,
  });
  runners.push(runner);
  return runner;
};
afterAll(() => {
  for (const runner of runners) runner.killAll();
});

const options = (tenant: string, extra: Partial<RunOptions> = {}): RunOptions => ({ tenant, prompt: "hi", cwd: workdir, callerKey: "k", ...extra });
const refusal = (start: () => unknown) => {
  try {
    start();
  } catch (error) {
    return error as ProxyError;
  }
  throw new Error("expected a refusal");
};

describe("ClaudeRunner", () => {
  test("every user value is one --option=value argument; the prompt is not an argument at all", () => {
    const args = makeRunner().buildArgs("/bin/claude", options("a", { prompt: "--settings={}", tools: ["Read"], allowedTools: ["-x", "Bash"], systemPrompt: "--debug-file=/x", model: "-m", maxTurns: 3 }));
    expect(args).toEqual([
      "/bin/claude",
      "-p",
      "--output-format",
      "stream-json",
      "--verbose",
      "--no-session-persistence",
      "--tools=Read",
      "--allowedTools=-x,Bash",
      "--append-system-prompt=--debug-file=/x",
      "--model=-m",
      "--max-turns=3",
    ]);
  });

  test("a tenant at its limit gets 429; another tenant still runs until the total cap", () => {
    const runner = makeRunner();
    runner.start(options("acme"));
    runner.start(options("acme"));
    const perTenant = refusal(() => runner.start(options("acme")));
    expect([perTenant.status, perTenant.message, perTenant.headers]).toEqual([
      429,
      "All 2 of your Claude Code runs are busy (CLAUDE_MAX_CONCURRENCY per tenant); retry later.",
      { "retry-after": "5" },
    ]);
    runner.start(options("globex"));
    const total = refusal(() => runner.start(options("initech")));
    expect([total.status, total.message]).toEqual([429, "All 3 Claude Code runs of this proxy are busy (CLAUDE_MAX_CONCURRENCY_TOTAL); retry later."]);
    expect(runner.activeCount).toBe(3);
  });

  test("a finished run frees its tenant's place", async () => {
    const runner = makeRunner({ maxPerTenant: 1 });
    const run = runner.start(options("acme"));
    run.kill();
    await run.exited;
    const next = runner.start(options("acme"));
    expect(next.pid).toBeGreaterThan(0);
  });

  test("without isolation runs are refused with 503 and the fix", async () => {
    const isolation = await probeIsolation("bubblewrap", "/nonexistent");
    expect(isolation).toEqual({ mode: "bubblewrap", ready: false, detail: "bubblewrap (bwrap) is not installed", fix: expect.stringContaining("apt-get install bubblewrap") });
    const error = refusal(() => makeRunner({ isolation }).start(options("acme")));
    expect([error.status, error.errorType]).toEqual([503, "api_error"]);
    expect(error.message).toBe(
      "Claude Code runs are disabled: bubblewrap (bwrap) is not installed. Operators: install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) and allow unprivileged user namespaces; or set CLAUDE_ISOLATION=unsafe-none to accept runs that can read the proxy's secrets (see `claude-masking-proxy verify-setup`).",
    );
  });
});
