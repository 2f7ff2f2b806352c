/**
 * Starts the proxy as a real OS process (from source or the compiled binary) on a free port
 * and waits for its "listening" log line, so tests exercise exactly what operators run.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = join(import.meta.dir, "..", "..");
export const SOURCE_CMD = ["bun", join(ROOT, "src/main.ts")];

export interface ProxyProcess {
  url: string;
  proc: ReturnType<typeof Bun.spawn>;
  /** Everything the process wrote so far (stdout + stderr), for leak and log assertions. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number>;
}

/** Every proxy this process started; killed on exit so a failed test leaves no orphan. */
const running = new Set<ReturnType<typeof Bun.spawn>>();
process.on("exit", () => {
  for (const proc of running) if (proc.exitCode === null) proc.kill("SIGKILL");
});

export const tempDir = (prefix = "cmp-test-") => mkdtempSync(join(tmpdir(), prefix));

/** Runs a command to completion and returns its exit code and output. */
export async function runCommand(cmd: string[], options: { env?: Record<string, string>; cwd?: string; stdin?: string } = {}) {
  const proc = Bun.spawn(cmd, {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? {},
    stdin: options.stdin === undefined ? "ignore" : new Blob([options.stdin]),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { exitCode, stdout, stderr };
}

/** Minimal environment for a proxy child: PATH and HOME only, plus what the test sets. */
export function baseEnv(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", PORT: "0", ...extra };
}

export async function startProxy(options: { cmd?: string[]; env: Record<string, string>; cwd?: string; args?: string[] }): Promise<ProxyProcess> {
  const proc = Bun.spawn([...(options.cmd ?? SOURCE_CMD), ...(options.args ?? ["serve"])], {
    cwd: options.cwd ?? ROOT,
    env: baseEnv(options.env),
    stdout: "pipe",
    stderr: "pipe",
  });
  running.add(proc);
  void proc.exited.then(() => running.delete(proc));
  let output = "";
  const decoder = new TextDecoder();
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) output += decoder.decode(chunk, { stream: true });
  };
  void pump(proc.stdout as ReadableStream<Uint8Array>);
  void pump(proc.stderr as ReadableStream<Uint8Array>);

  const deadline = Date.now() + 20_000;
  let url: string | undefined;
  while (!url) {
    const match = /"msg":"listening","url":"([^"]+)"/.exec(output);
    if (match) url = match[1];
    else if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`proxy did not start (exit ${proc.exitCode}):\n${output}`);
    } else await Bun.sleep(20);
  }
  return {
    url: url!,
    proc,
    output: () => output,
    async stop(signal = "SIGTERM") {
      if (proc.exitCode === null) proc.kill(signal);
      return proc.exited;
    },
  };
}
