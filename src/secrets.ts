/**
 * The proxy's own secrets: client keys (mapped to tenants) and the masking secret. Nothing here
 * has a built-in default: when an operator configures none, a random one is generated once into
 * DATA_DIR with mode 0600 and reused on every later start.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "./config.ts";

export interface TenantKey {
  tenant: string;
  key: string;
}

export interface ProxyKeys {
  keys: TenantKey[];
  /** Where the keys came from, for the start-up log line (never the keys themselves). */
  source: string;
  /** Set when the key was generated just now or earlier into DATA_DIR. */
  generatedFile?: string;
}

export const GENERATED_KEY_FILE = "proxy-api-key";
export const GENERATED_SECRET_FILE = "masking-secret";

/** Parses `tenant:key,tenant2:key2` (also one pair per line; `#` starts a comment). */
export function parseKeyList(text: string): TenantKey[] {
  return text
    .split(/[\n,]/)
    .map((entry) => entry.replace(/#.*$/, "").trim())
    .filter((entry) => entry !== "")
    .map((entry) => {
      const colon = entry.indexOf(":");
      return colon === -1
        ? { tenant: "default", key: entry }
        : { tenant: entry.slice(0, colon).trim(), key: entry.slice(colon + 1).trim() };
    });
}

/** Reads a secret file written by us or by an operator, creating it with a random value if absent. */
function readOrCreateSecretFile(path: string, create: () => string): { value: string; created: boolean } {
  if (existsSync(path)) return { value: readFileSync(path, "utf8").trim(), created: false };
  mkdirSync(join(path, ".."), { recursive: true, mode: 0o700 });
  const value = create();
  // `wx` fails if another process created the file in between; then we read theirs.
  try {
    writeFileSync(path, `${value}\n`, { mode: 0o600, flag: "wx" });
    chmodSync(path, 0o600); // the umask may have narrowed, never widened, but be explicit
    return { value, created: true };
  } catch {
    return { value: readFileSync(path, "utf8").trim(), created: false };
  }
}

export function resolveProxyKeys(config: Config): ProxyKeys {
  if (config.proxyApiKeys) return { keys: parseKeyList(config.proxyApiKeys), source: "PROXY_API_KEYS" };
  if (config.proxyApiKeysFile) {
    let text: string;
    try {
      text = readFileSync(config.proxyApiKeysFile, "utf8");
    } catch {
      throw new Error(`PROXY_API_KEYS_FILE cannot be read: check that ${config.proxyApiKeysFile} exists and is readable`);
    }
    const keys = parseKeyList(text);
    if (keys.length === 0) throw new Error(`PROXY_API_KEYS_FILE holds no keys: add tenant:key lines to ${config.proxyApiKeysFile}`);
    return { keys, source: "PROXY_API_KEYS_FILE" };
  }
  const file = join(config.dataDir, GENERATED_KEY_FILE);
  const { value } = readOrCreateSecretFile(file, () => `cmp-${randomBytes(24).toString("base64url")}`);
  return { keys: parseKeyList(value), source: file, generatedFile: file };
}

/**
 * MASKING_SECRET, or the one generated into DATA_DIR earlier; undefined when there is neither.
 * For checks and tools that must not create one (a new secret cannot read any existing store).
 */
export function existingMaskingSecret(config: Config): { secret: string; source: string } | undefined {
  if (config.maskingSecret) return { secret: config.maskingSecret, source: "MASKING_SECRET" };
  const file = join(config.dataDir, GENERATED_SECRET_FILE);
  if (!existsSync(file)) return undefined;
  return { secret: readFileSync(file, "utf8").trim(), source: file };
}

/** MASKING_SECRET, or one generated into DATA_DIR (fine for one instance; shared stores need it set). */
export function resolveMaskingSecret(config: Config): { secret: string; source: string } {
  if (config.maskingSecret) return { secret: config.maskingSecret, source: "MASKING_SECRET" };
  const file = join(config.dataDir, GENERATED_SECRET_FILE);
  return { secret: readOrCreateSecretFile(file, () => randomBytes(32).toString("hex")).value, source: file };
}
