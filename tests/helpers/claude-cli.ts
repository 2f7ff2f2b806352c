/**
 * Runs the real `claude` CLI headless (`-p … --output-format stream-json --verbose`) with an
 * isolated HOME and config dir, no telemetry, and a hard time limit.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { ROOT, tempDir } from "./proxy-process.ts";

export const CLAUDE_BIN = join(ROOT, "node_modules/.bin/claude");

export interface ClaudeRun {
  exitCode: number | null;
  events: any[];
  result: any;
  stderr: string;
  cwd: string;
}

export async function runClaude(options: {
  prompt: string;
  baseUrl: string;
  auth: { ANTHROPIC_AUTH_TOKEN: string } | { ANTHROPIC_API_KEY: string };
  args?: string[];
  cwd?: string;
  timeoutMs?: number;
  retries?: number;
  /** More environment for the CLI (e.g. ENABLE_TOOL_SEARCH). */
  env?: Record<string, string>;
}): Promise<ClaudeRun> {
  const home = tempDir("cmp-claude-home-");
  mkdirSync(join(home, ".claude"), { recursive: true });
  const cwd = options.cwd ?? tempDir("cmp-claude-work-");
  const proc = Bun.spawn([CLAUDE_BIN, "-p", options.prompt, "--output-format", "stream-json", "--verbose", "--no-session-persistence", ...(options.args ?? [])], {
    cwd,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      CLAUDE_CONFIG_DIR: join(home, ".claude"),
      ANTHROPIC_BASE_URL: options.baseUrl,
      DISABLE_TELEMETRY: "1",
      DISABLE_AUTOUPDATER: "1",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      CLAUDE_CODE_MAX_RETRIES: String(options.retries ?? 0),
      ...options.auth,
      ...options.env,
    },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), options.timeoutMs ?? 60_000);
  const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  const events = stdout
    .split("\n")
    .filter((line) => line.trim().startsWith("{"))
    .map((line) => JSON.parse(line));
  return { exitCode, events, result: events.findLast((event) => event.type === "result"), stderr, cwd };
}
