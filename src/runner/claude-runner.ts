/**
 * Runs `claude -p` headless for the runner endpoints. The child talks to the model only
 * through this proxy (ANTHROPIC_BASE_URL = us, the caller's own proxy key), so every model
 * call of the run is masked by /v1/messages. The upstream key never reaches the child.
 * Runs are bounded in number and time, and killed (with their whole process group) when the
 * client goes away, when they time out, and on shutdown.
 */
import type { Logger } from "../log.ts";
import { ProxyError, tooManyRequests } from "../errors.ts";

export interface RunOptions {
  prompt: string;
  allowedTools?: string[];
  /** Restricts the built-in tools the model is even offered (analyze: read-only ones). */
  tools?: string[];
  systemPrompt?: string;
  model?: string;
  maxTurns?: number;
  cwd: string;
  /** The caller's proxy key, handed to the child as ANTHROPIC_AUTH_TOKEN. */
  callerKey: string;
}

export interface RunnerConfig {
  claudeBin: string;
  timeoutMs: number;
  maxConcurrency: number;
  /** Where the child reaches this proxy, e.g. http://127.0.0.1:8000. */
  proxyUrl: () => string;
  /** A writable HOME for the child (its config and caches); never the operator's own. */
  childHome: string;
  logger: Logger;
}

export interface Run {
  pid: number;
  /** stdout lines (stream-json) as they arrive. */
  lines: AsyncIterable<string>;
  /** Resolves when the child has exited; `timedOut` if we killed it for CLAUDE_TIMEOUT. */
  exited: Promise<{ exitCode: number | null; timedOut: boolean; stderr: string }>;
  kill(): void;
}

/** Environment variables the child may inherit; everything else (keys, store URLs) stays out. */
const INHERITED = ["PATH", "LANG", "LC_ALL", "TZ", "TMPDIR", "TERM", "NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE"];

export class ClaudeRunner {
  private readonly active = new Set<Run>();

  constructor(private readonly config: RunnerConfig) {}

  get activeCount(): number {
    return this.active.size;
  }

  /** PIDs of the running children (for shutdown checks and tests). */
  activePids(): number[] {
    return [...this.active].map((run) => run.pid);
  }

  buildArgs(options: RunOptions): string[] {
    const args = [this.config.claudeBin, "-p", options.prompt, "--output-format", "stream-json", "--verbose", "--no-session-persistence"];
    if (options.tools) args.push("--tools", options.tools.join(","));
    if (options.allowedTools?.length) args.push("--allowedTools", options.allowedTools.join(","));
    if (options.systemPrompt) args.push("--append-system-prompt", options.systemPrompt);
    if (options.model) args.push("--model", options.model);
    if (options.maxTurns) args.push("--max-turns", String(options.maxTurns));
    return args;
  }

  buildEnv(options: RunOptions): Record<string, string> {
    const env: Record<string, string> = {};
    for (const name of INHERITED) if (process.env[name]) env[name] = process.env[name]!;
    Object.assign(env, {
      HOME: this.config.childHome,
      CLAUDE_CONFIG_DIR: `${this.config.childHome}/.claude`,
      ANTHROPIC_BASE_URL: this.config.proxyUrl(),
      ANTHROPIC_AUTH_TOKEN: options.callerKey,
      DISABLE_TELEMETRY: "1",
      DISABLE_AUTOUPDATER: "1",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      CLAUDE_CODE_MAX_RETRIES: "2",
    });
    return env;
  }

  start(options: RunOptions): Run {
    if (this.active.size >= this.config.maxConcurrency) {
      throw tooManyRequests(`All ${this.config.maxConcurrency} Claude Code runs are busy (CLAUDE_MAX_CONCURRENCY); retry later.`, 5);
    }
    let child: ReturnType<typeof Bun.spawn<"ignore", "pipe", "pipe">>;
    try {
      child = Bun.spawn(this.buildArgs(options), {
        cwd: options.cwd,
        env: this.buildEnv(options),
        stdin: "ignore",
        stdout: "pipe",
        stderr: "pipe",
        detached: true, // own process group, so tool subprocesses die with it
      });
    } catch {
      throw new ProxyError(503, "api_error", "The claude CLI could not be started; set CLAUDE_BIN to the claude executable (see `proxy verify-setup`).");
    }

    let timedOut = false;
    const killGroup = () => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL"); // the group is already gone, or was never created
      }
    };
    const timer = setTimeout(() => ((timedOut = true), killGroup()), this.config.timeoutMs);
    const stderr = new Response(child.stderr).text();
    const run: Run = {
      pid: child.pid,
      lines: splitLines(child.stdout),
      kill: killGroup,
      exited: child.exited.then(async (exitCode) => {
        clearTimeout(timer);
        this.active.delete(run);
        killGroup(); // reap tool subprocesses the CLI left behind
        return { exitCode, timedOut, stderr: await stderr };
      }),
    };
    this.active.add(run);
    this.config.logger.debug("claude run started", { pid: child.pid, active: this.active.size });
    return run;
  }

  /** Kills every run (shutdown). */
  killAll(): void {
    for (const run of this.active) run.kill();
  }
}

async function* splitLines(stream: ReadableStream<Uint8Array>): AsyncIterable<string> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of stream) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.indexOf("\n");
    let start = 0;
    while (newline !== -1) {
      const line = buffer.slice(start, newline).trim();
      if (line) yield line;
      start = newline + 1;
      newline = buffer.indexOf("\n", start);
    }
    buffer = buffer.slice(start);
  }
  buffer += decoder.decode();
  if (buffer.trim()) yield buffer.trim();
}
