/**
 * Runs `claude -p` headless for the runner endpoints. The child talks to the model only
 * through this proxy (ANTHROPIC_BASE_URL = us, the caller's own proxy key), so every model
 * call of the run is masked by /v1/messages. The upstream key never reaches the child, and the
 * run is sandboxed (sandbox.ts): the model chooses its tool calls. User values never reach
 * the CLI where they could be read as options: the prompt goes in on standard input, the
 * others as `--option=value`. Runs are bounded per tenant, in all, and in time, and killed
 * (with their whole process group) when the client goes away, when they time out, and on
 * shutdown.
 */
import type { Logger } from "../log.ts";
import { ProxyError, tooManyRequests } from "../errors.ts";
import { bubblewrapArgs, resolveExecutable, SANDBOX_HOME, type IsolationStatus } from "./sandbox.ts";

export interface RunOptions {
  /** Whose run it is: limits are per tenant. */
  tenant: string;
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
  /** Runs at once per tenant, and in all. */
  maxPerTenant: number;
  maxTotal: number;
  /** Where the child reaches this proxy, e.g. http://127.0.0.1:8000. */
  proxyUrl: () => string;
  /** A writable HOME for an unsandboxed child (its config and caches); never the operator's own. */
  childHome: string;
  /** How runs are isolated (probed at start, see sandbox.ts). */
  isolation: IsolationStatus;
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
const INHERITED = ["PATH", "LANG", "LC_ALL", "TZ", "TERM", "NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE"];

const cliMissing = () =>
  new ProxyError(503, "api_error", "The claude CLI could not be started; set CLAUDE_BIN to the claude executable (see `claude-masking-proxy verify-setup`).");

export class ClaudeRunner {
  private readonly active = new Set<Run>();
  private readonly perTenant = new Map<string, number>();

  constructor(private readonly config: RunnerConfig) {}

  get activeCount(): number {
    return this.active.size;
  }

  get isolation(): IsolationStatus {
    return this.config.isolation;
  }

  /** PIDs of the running children (for shutdown checks and tests). */
  activePids(): number[] {
    return [...this.active].map((run) => run.pid);
  }

  /** The CLI's arguments: fixed options first, every user value as `--option=value`, no positional argument. */
  buildArgs(claude: string, options: RunOptions): string[] {
    const args = [claude, "-p", "--output-format", "stream-json", "--verbose", "--no-session-persistence"];
    if (options.tools) args.push(`--tools=${options.tools.join(",")}`);
    if (options.allowedTools?.length) args.push(`--allowedTools=${options.allowedTools.join(",")}`);
    if (options.systemPrompt) args.push(`--append-system-prompt=${options.systemPrompt}`);
    if (options.model) args.push(`--model=${options.model}`);
    if (options.maxTurns) args.push(`--max-turns=${options.maxTurns}`);
    return args;
  }

  buildEnv(options: RunOptions, home: string): Record<string, string> {
    const env: Record<string, string> = {};
    for (const name of INHERITED) if (process.env[name]) env[name] = process.env[name]!;
    Object.assign(env, {
      HOME: home,
      CLAUDE_CONFIG_DIR: `${home}/.claude`,
      ANTHROPIC_BASE_URL: this.config.proxyUrl(),
      ANTHROPIC_AUTH_TOKEN: options.callerKey,
      DISABLE_TELEMETRY: "1",
      DISABLE_AUTOUPDATER: "1",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      CLAUDE_CODE_MAX_RETRIES: "2",
    });
    return env;
  }

  /** The command to spawn and the child's HOME, sandboxed unless the operator chose otherwise. */
  private command(options: RunOptions): { argv: string[]; home: string } {
    const isolation = this.config.isolation;
    if (!isolation.ready) {
      throw new ProxyError(503, "api_error", `Claude Code runs are disabled: ${isolation.detail}. Operators: ${isolation.fix} (see \`claude-masking-proxy verify-setup\`).`);
    }
    const claude = resolveExecutable(this.config.claudeBin);
    if (!claude) throw cliMissing();
    if (isolation.mode === "unsafe-none") return { argv: this.buildArgs(claude, options), home: this.config.childHome };
    return { argv: bubblewrapArgs(isolation.bwrap, { claude, workdir: options.cwd }, this.buildArgs(claude, options)), home: SANDBOX_HOME };
  }

  /** Refuses a run over the tenant's limit or the global one; 429 with a retry hint. */
  private admit(tenant: string): void {
    if ((this.perTenant.get(tenant) ?? 0) >= this.config.maxPerTenant) {
      throw tooManyRequests(`All ${this.config.maxPerTenant} of your Claude Code runs are busy (CLAUDE_MAX_CONCURRENCY per tenant); retry later.`, 5);
    }
    if (this.active.size >= this.config.maxTotal) {
      throw tooManyRequests(`All ${this.config.maxTotal} Claude Code runs of this proxy are busy (CLAUDE_MAX_CONCURRENCY_TOTAL); retry later.`, 5);
    }
  }

  start(options: RunOptions): Run {
    this.admit(options.tenant);
    const { argv, home } = this.command(options);
    let child: ReturnType<typeof Bun.spawn<Uint8Array, "pipe", "pipe">>;
    try {
      child = Bun.spawn(argv, {
        cwd: options.cwd,
        env: this.buildEnv(options, home),
        // The prompt on standard input: a prompt that starts with `-` can never be read as an option.
        stdin: new TextEncoder().encode(options.prompt),
        stdout: "pipe",
        stderr: "pipe",
        detached: true, // own process group, so tool subprocesses die with it
      });
    } catch {
      throw cliMissing();
    }

    let timedOut = false;
    const killGroup = () => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL"); // the group is already gone, or was never created
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, this.config.timeoutMs);
    const stderr = new Response(child.stderr).text();
    const tenant = options.tenant;
    this.perTenant.set(tenant, (this.perTenant.get(tenant) ?? 0) + 1);
    const run: Run = {
      pid: child.pid,
      lines: splitLines(child.stdout),
      kill: killGroup,
      exited: child.exited.then(async (exitCode) => {
        clearTimeout(timer);
        this.active.delete(run);
        const left = (this.perTenant.get(tenant) ?? 1) - 1;
        if (left > 0) this.perTenant.set(tenant, left);
        else this.perTenant.delete(tenant);
        killGroup(); // reap tool subprocesses the CLI left behind
        return { exitCode, timedOut, stderr: await stderr };
      }),
    };
    this.active.add(run);
    this.config.logger.debug("claude run started", { pid: child.pid, active: this.active.size, isolation: this.config.isolation.mode });
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
