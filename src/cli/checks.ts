/**
 * The checks behind `claude-masking-proxy verify-setup`. Each returns pass/warn/fail with a detail line and,
 * unless it passed, the exact fix. Details name counts, tenants, versions and paths, never a
 * key or secret.
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { type Config, formatProblems, loadConfig, serveProblems } from "../config.ts";
import { classifyNetworkFailure, describeNetworkFailure } from "../network-failure.ts";
import { probeIsolation } from "../runner/sandbox.ts";
import { isLoopback } from "../server/serve.ts";
import { GENERATED_KEY_FILE, GENERATED_SECRET_FILE, existingMaskingSecret, parseKeyList } from "../secrets.ts";

export type CheckStatus = "pass" | "warn" | "fail";

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

const pass = (name: string, detail: string): CheckResult => ({ name, status: "pass", detail });
const warn = (name: string, detail: string, fix: string): CheckResult => ({ name, status: "warn", detail, fix });
const fail = (name: string, detail: string, fix: string): CheckResult => ({ name, status: "fail", detail, fix });

export function checkConfig(env: Record<string, string | undefined>): { result: CheckResult; config?: Config } {
  const loaded = loadConfig(env);
  if (!loaded.ok) return { result: fail("configuration", `${loaded.problems.length} invalid variable(s)`, formatProblems(loaded.problems)) };
  return { result: pass("configuration", "every variable parses"), config: loaded.config };
}

export function checkProxyKeys(config: Config): CheckResult {
  const name = "proxy keys";
  let keys;
  if (config.proxyApiKeys) keys = parseKeyList(config.proxyApiKeys);
  else if (config.proxyApiKeysFile) {
    if (!existsSync(config.proxyApiKeysFile)) {
      return fail(name, `PROXY_API_KEYS_FILE ${config.proxyApiKeysFile} does not exist`, "create it with tenant:key lines, or fix the path");
    }
    keys = parseKeyList(readFileSync(config.proxyApiKeysFile, "utf8"));
  } else {
    const file = join(config.dataDir, GENERATED_KEY_FILE);
    return existsSync(file)
      ? warn(name, `no PROXY_API_KEYS; using the generated key in ${file} (tenant default)`, "set PROXY_API_KEYS=tenant:key,… to give each team its own key and tenant")
      : warn(name, "no PROXY_API_KEYS; `serve` will generate one key into DATA_DIR on first start", "set PROXY_API_KEYS=tenant:key,… to choose keys and tenants");
  }
  if (keys.length === 0) return fail(name, "no keys configured", "set PROXY_API_KEYS=tenant:key,…");
  const short = keys.filter((entry) => entry.key.length < 16).length;
  const tenants = [...new Set(keys.map((entry) => entry.tenant))];
  const detail = `${keys.length} key(s) for tenant(s) ${tenants.join(", ")}`;
  if (short > 0) return warn(name, `${detail}; ${short} shorter than 16 characters`, "use long random keys, e.g. `openssl rand -hex 24`");
  return pass(name, detail);
}

/** What the upstream said of the key, when verify-setup asked it (not with --offline). */
export type UpstreamVerdict = "accepted" | "refused" | "unknown";

export function checkUpstreamKey(config: Config, verdict: UpstreamVerdict = "unknown"): CheckResult {
  const name = "ANTHROPIC_API_KEY";
  const key = config.anthropicApiKey;
  if (!key) return fail(name, "missing", "set ANTHROPIC_API_KEY to the proxy's own upstream key (in the EnvironmentFile for systemd)");
  if (/\s/.test(key)) return fail(name, "present but holds spaces", "paste the whole key without spaces, quotes or line breaks");
  // Gateways (LiteLLM and the like) issue their own keys of any length: the upstream decides.
  if (verdict === "accepted") return pass(name, "present; the upstream accepted it");
  if (verdict === "refused") return fail(name, "present; the upstream refused it", "set ANTHROPIC_API_KEY to a key this upstream accepts");
  if (!key.startsWith("sk-")) {
    return warn(name, "present; not an Anthropic-style sk-… key", "fine for a gateway with its own keys; for api.anthropic.com use an sk-ant-… key");
  }
  return pass(name, "present and shaped like a key");
}

/** Asks the upstream for one model with the proxy's key; names the cause of any failure. */
export async function checkUpstream(config: Config): Promise<{ result: CheckResult; verdict: UpstreamVerdict }> {
  const name = "upstream";
  const where = new URL(config.upstreamUrl).host;
  let response: Response;
  try {
    response = await fetch(`${config.upstreamUrl}/v1/models?limit=1`, {
      headers: { "x-api-key": config.anthropicApiKey ?? "", "anthropic-version": "2023-06-01" },
      signal: AbortSignal.timeout(5_000),
    });
  } catch (error) {
    const failure = classifyNetworkFailure(error);
    const fix = { dns: "fix the host name in ANTHROPIC_UPSTREAM_URL or this machine's DNS", refused: "check the port in ANTHROPIC_UPSTREAM_URL and that the upstream runs; check firewalls", tls: "check https:// versus http:// in ANTHROPIC_UPSTREAM_URL, and the CA roots (or SSL_CERT_FILE) of this host" }[failure.kind as "dns" | "refused" | "tls"] ?? "check ANTHROPIC_UPSTREAM_URL, HTTP(S)_PROXY and the firewall (or pass --offline)";
    return { result: fail(name, describeNetworkFailure(failure, where), fix), verdict: "unknown" };
  }
  await response.body?.cancel();
  const status = response.status;
  if (status === 401 || status === 403) {
    return { result: fail(name, `${config.upstreamUrl} answered HTTP ${status}: the key was refused`, "check ANTHROPIC_API_KEY for this upstream"), verdict: "refused" };
  }
  if (status === 404) {
    return { result: warn(name, `${config.upstreamUrl} answered HTTP 404 for /v1/models`, "ANTHROPIC_UPSTREAM_URL is the base URL without /v1 (e.g. https://api.anthropic.com)"), verdict: "unknown" };
  }
  if (status >= 500) return { result: warn(name, `${config.upstreamUrl} answered HTTP ${status}: the upstream has a problem of its own`, "try again later; check the upstream's status page"), verdict: "unknown" };
  if (status >= 400) return { result: warn(name, `${config.upstreamUrl} answered HTTP ${status}`, "check ANTHROPIC_UPSTREAM_URL and ANTHROPIC_API_KEY"), verdict: "unknown" };
  return { result: pass(name, `${config.upstreamUrl} answered HTTP ${status}`), verdict: "accepted" };
}

/** The SQLite file of STORE_URL, or undefined for Redis. */
export const sqlitePath = (config: Config) => (config.storeUrl.startsWith("sqlite://") ? config.storeUrl.slice("sqlite://".length) : undefined);

/** Reads what exists; never generates a secret (a new one could not read the store there). */
export function checkMaskingSecret(config: Config): CheckResult {
  const name = "MASKING_SECRET";
  const database = sqlitePath(config);
  const existing = existingMaskingSecret(config);
  if (existing?.source === "MASKING_SECRET") return pass(name, "set");
  if (database === undefined) {
    return fail(name, "not set, but the store is shared (Redis)", "set the same MASKING_SECRET (e.g. `openssl rand -hex 32`) on every instance sharing the store");
  }
  if (existing) return pass(name, `generated earlier, in ${existing.source}`);
  if (existsSync(database)) {
    return fail(name, `the store ${database} exists but its secret (${join(config.dataDir, GENERATED_SECRET_FILE)}) does not: its mappings cannot be read`, "restore the masking-secret file from a backup, or set MASKING_SECRET to the secret it was created with");
  }
  return pass(name, `not generated yet: serve creates one in ${config.dataDir} on first start`);
}

/**
 * The runner's checks count as failures only when the operator asked for runs (CLAUDE_RUNNER=on);
 * with `auto` a missing CLI or sandbox only turns /v1/claude-code off, which is a warning.
 */
export function forRunner(config: Config, result: CheckResult): CheckResult {
  if (result.status !== "fail" || config.claudeRunner === "on") return result;
  return { ...result, status: "warn", detail: `${result.detail}; /v1/claude-code answers 503 until fixed (CLAUDE_RUNNER=auto)` };
}

export async function checkClaude(config: Config): Promise<CheckResult> {
  const name = "claude CLI";
  const fix = "install Claude Code (npm install -g @anthropic-ai/claude-code) or set CLAUDE_BIN to its path";
  try {
    const proc = Bun.spawn([config.claudeBin, "--version"], { stdout: "pipe", stderr: "ignore", stdin: "ignore", env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" } });
    const timer = setTimeout(() => proc.kill("SIGKILL"), 15_000);
    const [output, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
    clearTimeout(timer);
    if (code !== 0) return fail(name, `${config.claudeBin} --version exited with ${code}`, fix);
    return pass(name, `${config.claudeBin}: ${output.trim().split("\n")[0]}`);
  } catch {
    return fail(name, `CLAUDE_BIN ${config.claudeBin} not found or not executable`, fix);
  }
}

export async function checkPort(config: Config): Promise<CheckResult> {
  const name = "listen address";
  try {
    const server = Bun.listen({ hostname: config.host, port: config.port, socket: { data() {} } });
    server.stop(true);
    if (!isLoopback(config.host)) {
      return warn(name, `${config.host}:${config.port} is free; it serves plain HTTP beyond this host (keys and prompts unencrypted)`, "put a TLS-terminating reverse proxy in front and firewall the port, or set HOST=127.0.0.1");
    }
    return pass(name, `${config.host}:${config.port} is free`);
  } catch {
    // Held: by this proxy already running (the service, checked while it serves), or by another program.
    const running = await runningProxyVersion(config);
    if (running) return pass(name, `${config.host}:${config.port} is served by a running claude-masking-proxy ${running}`);
    return fail(name, `${config.host}:${config.port} is in use by another program, or not an address of this host`, "stop the program holding the port, or set HOST/PORT");
  }
}

/** The version a claude-masking-proxy answering /health on the configured address reports. */
async function runningProxyVersion(config: Config): Promise<string | undefined> {
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host.includes(":") ? `[${config.host}]` : config.host;
  try {
    const response = await fetch(`http://${host}:${config.port}/health`, { signal: AbortSignal.timeout(2_000) });
    const body = (await response.json()) as { status?: unknown; version?: unknown };
    return body.status === "ok" && typeof body.version === "string" ? body.version : undefined;
  } catch {
    return undefined;
  }
}

/** Which isolation runs get (sandbox.ts); a proxy without one still masks, but refuses runs. */
export async function checkIsolation(config: Config): Promise<CheckResult> {
  const name = "runner isolation";
  const status = await probeIsolation(config.claudeIsolation);
  if (!status.ready) return warn(name, `${status.detail}; Claude Code runs are refused`, status.fix);
  if (status.mode === "unsafe-none") {
    return warn(name, status.detail, "install bubblewrap and unset CLAUDE_ISOLATION, so a run cannot read DATA_DIR, the keys or other processes");
  }
  return pass(name, status.detail);
}

export function checkWorkdirRoot(config: Config): CheckResult {
  const name = "CLAUDE_WORKDIR_ROOT";
  const overlap = serveProblems(config)[0];
  if (overlap) return fail(name, overlap.split(":")[0]!, overlap.slice(overlap.indexOf(":") + 2));
  try {
    if (!statSync(config.claudeWorkdirRoot).isDirectory()) throw new Error("not a directory");
    return pass(name, `${config.claudeWorkdirRoot} exists`);
  } catch {
    return fail(name, `${config.claudeWorkdirRoot} does not exist`, `create it (mkdir -p ${config.claudeWorkdirRoot}) or set CLAUDE_WORKDIR_ROOT`);
  }
}

/** Looks, never creates: `serve` creates DATA_DIR on first start, if its parent lets it. */
export function checkDataDir(config: Config): CheckResult {
  const name = "DATA_DIR";
  const dir = config.dataDir;
  if (existsSync(dir)) {
    try {
      if (!statSync(dir).isDirectory()) throw new Error("not a directory");
      accessSync(dir, constants.W_OK);
      return pass(name, `${dir} exists and is writable`);
    } catch {
      return fail(name, `${dir} is not a writable directory`, "give the service user write access to it, or set DATA_DIR");
    }
  }
  let parent = dirname(dir);
  while (!existsSync(parent) && parent !== dirname(parent)) parent = dirname(parent);
  try {
    accessSync(parent, constants.W_OK);
  } catch {
    return fail(name, `${dir} does not exist and ${parent} is not writable`, `create it for the service user (mkdir -p ${dir}), or set DATA_DIR`);
  }
  return warn(name, `${dir} does not exist yet: no store, key or secret there`, "if the service runs elsewhere, point DATA_DIR (or --env-file) at its data; otherwise `serve` creates it on first start");
}
