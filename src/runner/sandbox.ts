/**
 * The OS isolation around a `claude` run. The model chooses the run's tool calls, so a run is
 * hostile: with bubblewrap it sees a filesystem of its own (the system's programs read-only,
 * the claude CLI, its working directory read-write, an empty HOME and /tmp) in new user, PID,
 * IPC, UTS and cgroup namespaces. It cannot see the proxy's DATA_DIR, env file, keys or store,
 * other runs' directories, or any other process (its /proc holds only its own). It shares the
 * host's network: it must reach this proxy on loopback.
 *
 * `unsafe-none` runs claude as a plain child process that can read everything the proxy can;
 * the operator must choose it explicitly (CLAUDE_ISOLATION=unsafe-none).
 */
import { existsSync, lstatSync, readlinkSync, realpathSync } from "node:fs";
import { dirname } from "node:path";

export type IsolationMode = "bubblewrap" | "unsafe-none";

/** What a sandboxed run may read of /etc: name resolution, users, TLS roots, time zone, linker. */
const ETC_ENTRIES = [
  "/etc/resolv.conf",
  "/etc/hosts",
  "/etc/nsswitch.conf",
  "/etc/host.conf",
  "/etc/gai.conf",
  "/etc/passwd",
  "/etc/group",
  "/etc/ssl",
  "/etc/ca-certificates",
  "/etc/pki",
  "/etc/localtime",
  "/etc/alternatives",
  "/etc/ld.so.cache",
  "/etc/ld.so.conf",
  "/etc/ld.so.conf.d",
  "/etc/bash.bashrc",
  "/etc/profile",
  "/etc/inputrc",
  "/etc/gitconfig",
  "/etc/mime.types",
];
/** Top-level system directories: symlinks on merged-/usr systems (Debian 12), directories elsewhere. */
const SYSTEM_ROOTS = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];
/** HOME inside the sandbox: an empty tmpfs per run. */
export const SANDBOX_HOME = "/home/claude";

export interface SandboxSpec {
  /** The claude executable, resolved to a real path. */
  claude: string;
  /** The run's working directory (real path), the only host directory it may write. */
  workdir: string;
}

/** The bwrap arguments that start `command` (argv) inside the sandbox described by `spec`. */
export function bubblewrapArgs(bwrap: string, spec: SandboxSpec, command: string[]): string[] {
  const args = [bwrap, "--unshare-all", "--share-net", "--die-with-parent", "--new-session", "--ro-bind", "/usr", "/usr"];
  for (const root of SYSTEM_ROOTS) {
    if (!existsSync(root)) continue;
    if (lstatSync(root).isSymbolicLink()) args.push("--symlink", readlinkSync(root), root);
    else args.push("--ro-bind", root, root);
  }
  for (const entry of ETC_ENTRIES) args.push("--ro-bind-try", entry, entry);
  args.push("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/var/tmp", "--tmpfs", "/home", "--dir", SANDBOX_HOME);
  // The CLI's own directory (a native binary, or a package with its files), read-only.
  const claudeDir = dirname(spec.claude);
  if (!claudeDir.startsWith("/usr/")) args.push("--ro-bind", claudeDir, claudeDir);
  args.push("--bind", spec.workdir, spec.workdir, "--chdir", spec.workdir, "--", ...command);
  return args;
}

/** Finds an executable on PATH (or as given, if it has a slash); undefined when absent. */
export function resolveExecutable(name: string, path = process.env.PATH ?? ""): string | undefined {
  const candidates = name.includes("/") ? [name] : path.split(":").filter(Boolean).map((dir) => `${dir}/${name}`);
  for (const candidate of candidates) {
    try {
      const real = realpathSync(candidate);
      if (lstatSync(real).isFile()) return real;
    } catch {
      // not there; try the next directory
    }
  }
  return undefined;
}

export type IsolationStatus =
  | { mode: "bubblewrap"; ready: true; bwrap: string; detail: string }
  | { mode: "unsafe-none"; ready: true; detail: string }
  | { mode: "bubblewrap"; ready: false; detail: string; fix: string };

const NO_BWRAP_FIX =
  "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) and allow unprivileged user namespaces; or set CLAUDE_ISOLATION=unsafe-none to accept runs that can read the proxy's secrets";

/**
 * Whether runs can start, and how: bwrap must be installed and able to create its namespaces
 * here (a service manager or container may forbid them), so a trial sandbox is started once.
 */
export async function probeIsolation(mode: IsolationMode, searchPath = `${process.env.PATH ?? ""}:/usr/bin:/bin`): Promise<IsolationStatus> {
  if (mode === "unsafe-none") return { mode, ready: true, detail: "none: runs can read everything the proxy can (CLAUDE_ISOLATION=unsafe-none)" };
  const bwrap = resolveExecutable("bwrap", searchPath);
  if (!bwrap) return { mode, ready: false, detail: "bubblewrap (bwrap) is not installed", fix: NO_BWRAP_FIX };
  const trial = Bun.spawn(bubblewrapArgs(bwrap, { claude: bwrap, workdir: "/tmp" }, ["/bin/sh", "-c", "exit 0"]), { stdout: "ignore", stderr: "pipe", env: { PATH: "/usr/bin:/bin" } });
  const [exitCode, stderr] = await Promise.all([trial.exited, new Response(trial.stderr).text()]);
  if (exitCode !== 0) {
    return { mode, ready: false, detail: `bwrap cannot create a sandbox here: ${stderr.trim().split("\n")[0]?.slice(0, 200) || `exit ${exitCode}`}`, fix: NO_BWRAP_FIX };
  }
  const version = Bun.spawnSync([bwrap, "--version"]).stdout.toString().trim();
  return { mode, ready: true, bwrap, detail: `${version || "bubblewrap"}: own filesystem, PID and user namespaces per run` };
}
