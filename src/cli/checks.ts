/**
 * The checks behind `proxy verify-setup`. Each returns pass/warn/fail with a detail line and,
 * unless it passed, the exact fix. Details name counts, tenants, versions and paths, never a
 * key or secret.
 */
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Config, formatProblems, loadConfig, serveProblems } from "../config.ts";
import { probeIsolation } from "../runner/sandbox.ts";
import { GENERATED_KEY_FILE, parseKeyList, resolveMaskingSecret } from "../secrets.ts";

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

export function checkUpstreamKey(config: Config): CheckResult {
  const name = "ANTHROPIC_API_KEY";
  const key = config.anthropicApiKey;
  if (!key) return fail(name, "missing", "set ANTHROPIC_API_KEY to the proxy's own upstream key (in the EnvironmentFile for systemd)");
  if (/\s/.test(key) || key.length < 20) return fail(name, "present but not shaped like an API key", "paste the whole key without spaces or quotes");
  if (!key.startsWith("sk-")) {
    return warn(name, "present; not an Anthropic-style sk-… key", "fine for a gateway with its own keys; for api.anthropic.com use an sk-ant-… key");
  }
  return pass(name, "present and shaped like a key");
}

export async function checkUpstream(config: Config): Promise<CheckResult> {
  const name = "upstream";
  const url = `${config.upstreamUrl}/v1/models?limit=1`;
  try {
    const response = await fetch(url, {
      headers: { "x-api-key": config.anthropicApiKey ?? "", "anthropic-version": "2023-06-01" },
      signal: AbortSignal.timeout(5_000),
    });
    if (response.status === 401 || response.status === 403) {
      return fail(name, `${config.upstreamUrl} answered ${response.status}: the key was refused`, "check ANTHROPIC_API_KEY for this upstream");
    }
    return pass(name, `${config.upstreamUrl} answered HTTP ${response.status}`);
  } catch {
    return fail(name, `${config.upstreamUrl} did not answer within 5 s`, "check ANTHROPIC_UPSTREAM_URL, DNS, proxies and firewall (or pass --offline)");
  }
}

export function checkMaskingSecret(config: Config): CheckResult {
  const name = "MASKING_SECRET";
  const shared = !config.storeUrl.startsWith("sqlite://");
  if (config.maskingSecret) return pass(name, "set");
  if (shared) {
    return fail(name, "not set, but the store is shared (Redis)", "set the same MASKING_SECRET (e.g. `openssl rand -hex 32`) on every instance sharing the store");
  }
  const { source } = resolveMaskingSecret({ ...config, dataDir: config.dataDir });
  return pass(name, `generated for this instance in ${source}`);
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
    return pass(name, `${config.host}:${config.port} is free`);
  } catch {
    return fail(name, `${config.host}:${config.port} is in use or not available`, "stop the process holding it (maybe a proxy already running) or set HOST/PORT");
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

export function checkDataDir(config: Config): CheckResult {
  const name = "DATA_DIR";
  try {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    accessSync(config.dataDir, constants.W_OK);
    return pass(name, `${config.dataDir} is writable`);
  } catch {
    return fail(name, `${config.dataDir} is not writable`, `create it and give the service user write access, or set DATA_DIR`);
  }
}
