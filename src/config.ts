/**
 * Configuration: every environment variable of the design card as one TypeBox schema,
 * validated once at start. An invalid configuration yields every problem at once, each with
 * its fix, so an operator never has to restart the service once per typo.
 */
import { Type, type TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { realpathSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import type { LogLevel } from "./log.ts";
import { DURATION_PATTERN, SIZE_PATTERN, parseDuration, parseSize } from "./units.ts";

/** `fix` is our own schema keyword: the sentence printed when the variable is invalid. */
const Var = <T extends TSchema>(schema: T, fix: string, secret = false) =>
  Type.Optional(Type.Unsafe<string>({ ...schema, fix, secret }));

const Duration = (fix: string) => Var(Type.String({ pattern: DURATION_PATTERN }), fix);
const Size = (fix: string) => Var(Type.String({ pattern: SIZE_PATTERN }), fix);

export const EnvSchema = Type.Object({
  HOST: Var(Type.String({ minLength: 1 }), "set HOST to an address to listen on, e.g. 127.0.0.1"),
  PORT: Var(Type.String({ pattern: "^\\d{1,5}$" }), "set PORT to a number between 1 and 65535, e.g. 8000 (0 picks a free port)"),
  PROXY_API_KEYS: Var(
    Type.String({ pattern: "^\\s*[^,:\\s]+(:[^,:\\s]+)?(\\s*,\\s*[^,:\\s]+(:[^,:\\s]+)?)*\\s*$" }),
    "use tenant:key pairs separated by commas (a bare key means tenant 'default'), e.g. team-a:KEY1,team-b:KEY2",
    true,
  ),
  PROXY_API_KEYS_FILE: Var(Type.String({ minLength: 1 }), "point PROXY_API_KEYS_FILE at a readable file of tenant:key lines"),
  ANTHROPIC_API_KEY: Var(Type.String({ minLength: 1 }), "set ANTHROPIC_API_KEY to the proxy's own upstream key", true),
  UPSTREAM_PROVIDER: Var(
    Type.Union([Type.Literal("anthropic"), Type.Literal("bedrock"), Type.Literal("vertex")]),
    "use anthropic (Anthropic's API or a compatible gateway), bedrock (Amazon Bedrock in the proxy's AWS identity) or vertex (Google Vertex AI in its Google identity)",
  ),
  VERTEX_PROJECT_ID: Var(Type.String({ pattern: "^[a-z][a-z0-9-]{4,61}[a-z0-9]$" }), "use a Google Cloud project ID such as acme-prod-123"),
  VERTEX_REGION: Var(Type.String({ pattern: "^(global|us|eu|[a-z]+-[a-z]+\\d+)$" }), "use a Vertex region such as us-east5, europe-west1 or global"),
  VERTEX_BASE_URL: Var(Type.String({ pattern: "^https?://[^\\s/]+(/\\S*)?$" }), "use an http(s) URL of a Vertex endpoint"),
  AWS_REGION: Var(Type.String({ pattern: "^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d$" }), "use an AWS region such as us-east-1"),
  MODEL_MAP: Var(Type.String({ minLength: 2 }), 'use a JSON object of model name to Bedrock model ID, e.g. {"claude-sonnet-4-5": "us.anthropic.claude-sonnet-4-5-20250929-v1:0"}, or @/path/to/map.json'),
  BEDROCK_BASE_URL: Var(Type.String({ pattern: "^https?://[^\\s/]+(/\\S*)?$" }), "use an http(s) URL of a Bedrock runtime endpoint (a VPC endpoint, say)"),
  AWS_BEARER_TOKEN_BEDROCK: Var(Type.String({ minLength: 1 }), "set AWS_BEARER_TOKEN_BEDROCK to a Bedrock API key, or unset it to sign with AWS credentials", true),
  ANTHROPIC_UPSTREAM_URL: Var(
    Type.String({ pattern: "^https?://[^\\s/]+(/\\S*)?$" }),
    "use an http(s) URL such as https://api.anthropic.com",
  ),
  STORE_URL: Var(
    Type.String({ pattern: "^(sqlite://.+|rediss?://\\S+|redis\\+cluster://\\S+)$" }),
    "use sqlite://PATH, redis://HOST:PORT, rediss://HOST:PORT or redis+cluster://HOST:PORT,HOST:PORT",
    true, // may carry a Redis password
  ),
  DATA_DIR: Var(Type.String({ minLength: 1 }), "set DATA_DIR to a writable directory, e.g. /var/lib/claude-masking-proxy"),
  MAPPING_TTL: Duration("use a duration such as 7d, 12h or 30m"),
  MASKING_SECRET: Var(
    Type.String({ minLength: 32 }),
    "use at least 32 random characters, e.g. the output of `openssl rand -hex 32`",
    true,
  ),
  PATTERNS_FILE: Var(Type.String({ minLength: 1 }), "point PATTERNS_FILE at a JSON file of extra patterns"),
  ARN_MODE: Var(Type.Union([Type.Literal("parts"), Type.Literal("whole")]), "use parts or whole"),
  CLAUDE_BIN: Var(Type.String({ minLength: 1 }), "set CLAUDE_BIN to the claude executable, e.g. /usr/local/bin/claude"),
  CLAUDE_WORKDIR_ROOT: Var(Type.String({ minLength: 1 }), "set CLAUDE_WORKDIR_ROOT to the directory runs may use"),
  CLAUDE_TIMEOUT: Duration("use a duration such as 10m or 90s"),
  CLAUDE_MAX_CONCURRENCY: Var(Type.String({ pattern: "^[1-9]\\d{0,3}$" }), "use a whole number from 1 to 9999, e.g. 4 (runs at once per tenant)"),
  CLAUDE_MAX_CONCURRENCY_TOTAL: Var(Type.String({ pattern: "^[1-9]\\d{0,3}$" }), "use a whole number from 1 to 9999, e.g. 16 (runs at once in all)"),
  CLAUDE_RUNNER: Var(
    Type.Union([Type.Literal("auto"), Type.Literal("on"), Type.Literal("off")]),
    "use auto (runs are served when the claude CLI and bubblewrap are there), on (verify-setup fails without them) or off (no runs)",
  ),
  CLAUDE_ISOLATION: Var(
    Type.Union([Type.Literal("bubblewrap"), Type.Literal("unsafe-none")]),
    "use bubblewrap (runs sandboxed; needs the bwrap program) or unsafe-none (runs can read the proxy's secrets)",
  ),
  METRICS_TOKEN: Var(Type.String({ minLength: 16 }), "use at least 16 random characters, e.g. the output of `openssl rand -hex 24`", true),
  MAX_BODY_BYTES: Size("use a size such as 32MB, 512KB or a number of bytes"),
  LOG_LEVEL: Var(
    Type.Union(["debug", "info", "warn", "error"].map((level) => Type.Literal(level))),
    "use debug, info, warn or error",
  ),
});


export interface Config {
  host: string;
  port: number;
  proxyApiKeys?: string;
  proxyApiKeysFile?: string;
  anthropicApiKey?: string;
  upstreamUrl: string;
  /** Who answers: Anthropic's API (or a compatible gateway), or Amazon Bedrock. */
  upstreamProvider: "anthropic" | "bedrock" | "vertex";
  /** Vertex: the project, the region, another endpoint. */
  vertexProjectId?: string;
  vertexRegion?: string;
  vertexBaseUrl?: string;
  /** Bedrock: the region, the model map's spec, another endpoint, a Bedrock API key. */
  awsRegion?: string;
  modelMap?: string;
  bedrockBaseUrl?: string;
  bedrockApiKey?: string;
  storeUrl: string;
  dataDir: string;
  mappingTtlMs: number;
  maskingSecret?: string;
  patternsFile?: string;
  arnMode: "parts" | "whole";
  claudeBin: string;
  claudeWorkdirRoot: string;
  claudeTimeoutMs: number;
  /** Runs at once per tenant. */
  claudeMaxConcurrency: number;
  claudeMaxConcurrencyTotal: number;
  /** Whether /v1/claude-code is served: `auto` when it can be, `on` required, `off` never. */
  claudeRunner: "auto" | "on" | "off";
  claudeIsolation: "bubblewrap" | "unsafe-none";
  /** The scraper's bearer token for GET /metrics; without it metrics are off. */
  metricsToken?: string;
  maxBodyBytes: number;
  logLevel: LogLevel;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

type Env = Record<string, string | undefined>;

/** Validates the environment. Empty strings count as unset, as in most service managers. */
export function loadConfig(env: Env, options: { requireUpstreamKey?: boolean; cwd?: string } = {}): ConfigResult {
  const cwd = options.cwd ?? process.cwd();
  const vars: Record<string, string> = {};
  for (const name of Object.keys(EnvSchema.properties)) {
    const value = env[name];
    if (value !== undefined && value.trim() !== "") vars[name] = value.trim();
  }

  const problems: string[] = [];
  const seen = new Set<string>();
  for (const error of Value.Errors(EnvSchema, vars)) {
    const name = error.path.split("/")[1] ?? "";
    if (seen.has(name)) continue; // a union reports once per branch; one line per variable is enough
    seen.add(name);
    const property = (EnvSchema.properties as Record<string, { fix?: string; secret?: boolean }>)[name];
    const shown = property?.secret ? "" : ` (got ${JSON.stringify(vars[name])})`;
    problems.push(`${name} is invalid${shown}: ${property?.fix ?? error.message}`);
  }
  const port = Number(vars.PORT ?? 8000);
  if (!seen.has("PORT") && port > 65535) {
    problems.push(`PORT is invalid (got ${JSON.stringify(vars.PORT)}): set PORT to a number between 1 and 65535, e.g. 8000 (0 picks a free port)`);
  }
  const provider = (vars.UPSTREAM_PROVIDER ?? "anthropic") as "anthropic" | "bedrock" | "vertex";
  // Claude Code's own names for these, and Google's, are read too.
  const vertexProject = vars.VERTEX_PROJECT_ID ?? env.ANTHROPIC_VERTEX_PROJECT_ID?.trim() ?? env.GOOGLE_CLOUD_PROJECT?.trim();
  const vertexRegion = vars.VERTEX_REGION ?? env.CLOUD_ML_REGION?.trim();
  if (options.requireUpstreamKey && provider === "vertex" && (!vertexProject || !vertexRegion)) {
    problems.push("VERTEX_PROJECT_ID and VERTEX_REGION are required with UPSTREAM_PROVIDER=vertex, e.g. VERTEX_PROJECT_ID=acme-prod-123 VERTEX_REGION=us-east5");
  }
  if (options.requireUpstreamKey && provider === "anthropic" && !vars.ANTHROPIC_API_KEY) {
    problems.push("ANTHROPIC_API_KEY is missing: set it to the proxy's own upstream key (clients' keys are never forwarded)");
  }
  if (options.requireUpstreamKey && provider === "bedrock" && !vars.AWS_REGION && !env.AWS_DEFAULT_REGION) {
    problems.push("AWS_REGION is missing: UPSTREAM_PROVIDER=bedrock calls Bedrock in one region, e.g. AWS_REGION=us-east-1");
  }
  if (problems.length > 0) return { ok: false, problems };

  const dataDir = resolve(cwd, vars.DATA_DIR ?? "./data");
  const claudeWorkdirRoot = resolve(cwd, vars.CLAUDE_WORKDIR_ROOT ?? ".");
  const claudeBin = vars.CLAUDE_BIN ?? "claude";
  return {
    ok: true,
    config: {
      host: vars.HOST ?? "127.0.0.1",
      port,
      proxyApiKeys: vars.PROXY_API_KEYS,
      proxyApiKeysFile: vars.PROXY_API_KEYS_FILE && resolve(cwd, vars.PROXY_API_KEYS_FILE),
      anthropicApiKey: vars.ANTHROPIC_API_KEY,
      upstreamUrl: (vars.ANTHROPIC_UPSTREAM_URL ?? "https://api.anthropic.com").replace(/\/+$/, ""),
      upstreamProvider: provider,
      awsRegion: vars.AWS_REGION ?? env.AWS_DEFAULT_REGION?.trim() ?? undefined,
      modelMap: vars.MODEL_MAP,
      bedrockBaseUrl: vars.BEDROCK_BASE_URL?.replace(/\/+$/, ""),
      bedrockApiKey: vars.AWS_BEARER_TOKEN_BEDROCK,
      vertexProjectId: vertexProject || undefined,
      vertexRegion: vertexRegion || undefined,
      vertexBaseUrl: vars.VERTEX_BASE_URL?.replace(/\/+$/, ""),
      storeUrl: vars.STORE_URL ?? `sqlite://${dataDir}/mappings.db`,
      dataDir,
      mappingTtlMs: parseDuration(vars.MAPPING_TTL ?? "7d")!,
      maskingSecret: vars.MASKING_SECRET,
      patternsFile: vars.PATTERNS_FILE && resolve(cwd, vars.PATTERNS_FILE),
      arnMode: (vars.ARN_MODE ?? "parts") as "parts" | "whole",
      claudeBin: claudeBin.includes("/") && !isAbsolute(claudeBin) ? resolve(cwd, claudeBin) : claudeBin,
      claudeWorkdirRoot,
      claudeTimeoutMs: parseDuration(vars.CLAUDE_TIMEOUT ?? "10m")!,
      claudeMaxConcurrency: Number(vars.CLAUDE_MAX_CONCURRENCY ?? 4),
      claudeMaxConcurrencyTotal: Number(vars.CLAUDE_MAX_CONCURRENCY_TOTAL ?? 16),
      claudeRunner: (vars.CLAUDE_RUNNER ?? "auto") as "auto" | "on" | "off",
      claudeIsolation: (vars.CLAUDE_ISOLATION ?? "bubblewrap") as "bubblewrap" | "unsafe-none",
      metricsToken: vars.METRICS_TOKEN,
      maxBodyBytes: parseSize(vars.MAX_BODY_BYTES ?? "32MB")!,
      logLevel: (vars.LOG_LEVEL ?? "info") as LogLevel,
    },
  };
}

const within = (dir: string, root: string) => {
  const rel = relative(root, dir);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
};

/**
 * Problems only `serve` has: a run may read and write all of CLAUDE_WORKDIR_ROOT, so the
 * proxy's own DATA_DIR (keys, masking secret, store) must not lie inside it, nor the reverse.
 */
export function serveProblems(config: Config): string[] {
  const data = realOrResolved(config.dataDir);
  const root = realOrResolved(config.claudeWorkdirRoot);
  if (within(data, root) || within(root, data)) {
    return [
      `DATA_DIR (${config.dataDir}) and CLAUDE_WORKDIR_ROOT (${config.claudeWorkdirRoot}) overlap: a Claude Code run could read the proxy's keys and masking secret. Set CLAUDE_WORKDIR_ROOT to a directory of its own, e.g. /srv/claude-work, outside DATA_DIR.`,
    ];
  }
  return [];
}

/** Symlinks resolved where the path exists (a workdir root reached through a link is the same root). */
function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export function formatProblems(problems: string[]): string {
  return [
    `Invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):`,
    ...problems.map((problem) => `  - ${problem}`),
  ].join("\n");
}
