/**
 * `claude-masking-proxy --help`: commands, options and every environment variable with its
 * default, so a server without the README still says how to configure it.
 */
import { VERSION } from "../version.ts";

/** The one name of the program: the installed command, the built binary and every message. */
export const PROGRAM = "claude-masking-proxy";

/** Every variable of config.ts's schema, with its default and what it does (a test keeps them in step). */
export const ENVIRONMENT: readonly [name: string, defaultValue: string, meaning: string][] = [
  ["HOST", "127.0.0.1", "address to listen on (plain HTTP: put TLS in front before exposing it)"],
  ["PORT", "8000", "port to listen on (0 picks a free one)"],
  ["PROXY_API_KEYS", "none", "tenant:key,tenant2:key2 (a bare key is tenant default)"],
  ["PROXY_API_KEYS_FILE", "none", "the same, read from a file"],
  ["ANTHROPIC_API_KEY", "none", "the proxy's own upstream key (required for serve with the anthropic provider)"],
  ["ANTHROPIC_UPSTREAM_URL", "https://api.anthropic.com", "any Anthropic-compatible endpoint"],
  ["UPSTREAM_PROVIDER", "anthropic", "anthropic, bedrock (Amazon Bedrock, AWS identity) or vertex (Google Vertex, Google identity)"],
  ["AWS_REGION", "none", "bedrock: the region Bedrock is called in"],
  ["MODEL_MAP", "built-in table", "bedrock: JSON {model name: Bedrock ID} over the built-in table, or @file"],
  ["BEDROCK_BASE_URL", "bedrock-runtime.REGION.amazonaws.com", "bedrock: another runtime endpoint (a VPC endpoint)"],
  ["AWS_BEARER_TOKEN_BEDROCK", "none", "bedrock: a Bedrock API key instead of SigV4 with the AWS credential chain"],
  ["VERTEX_PROJECT_ID", "ANTHROPIC_VERTEX_PROJECT_ID", "vertex: the Google Cloud project"],
  ["VERTEX_REGION", "CLOUD_ML_REGION", "vertex: the region (us-east5, europe-west1, global…)"],
  ["VERTEX_BASE_URL", "REGION-aiplatform.googleapis.com", "vertex: another endpoint (Private Service Connect)"],
  ["STORE_URL", "sqlite://$DATA_DIR/mappings.db", "sqlite://PATH, redis://, rediss://, redis+cluster://HOST:PORT,…"],
  ["DATA_DIR", "./data", "embedded store, generated key and masking secret"],
  ["MAPPING_TTL", "7d", "idle lifetime of a mapping"],
  ["MASKING_SECRET", "generated in DATA_DIR", "32+ characters; the same on every instance sharing a store"],
  ["PATTERNS_FILE", "none", "extra patterns (JSON)"],
  ["ARN_MODE", "parts", "parts or whole"],
  ["CLAUDE_RUNNER", "auto", "POST /v1/claude-code: auto, on (required) or off"],
  ["CLAUDE_BIN", "claude", "the claude CLI the runner starts"],
  ["CLAUDE_WORKDIR_ROOT", "current directory", "where runs may work (never containing DATA_DIR)"],
  ["CLAUDE_TIMEOUT", "10m", "longest run"],
  ["CLAUDE_MAX_CONCURRENCY", "4", "runs at once per tenant"],
  ["CLAUDE_MAX_CONCURRENCY_TOTAL", "16", "runs at once in all"],
  ["CLAUDE_ISOLATION", "bubblewrap", "bubblewrap, or unsafe-none (runs can read the proxy's secrets)"],
  ["METRICS_TOKEN", "none", "bearer token for GET /metrics (else any proxy key)"],
  ["MAX_BODY_BYTES", "32MB", "larger request bodies get 413"],
  ["LOG_LEVEL", "info", "debug, info, warn or error (JSON lines on stdout)"],
];

export function helpText(): string {
  const width = Math.max(...ENVIRONMENT.map(([name]) => name.length));
  const variables = ENVIRONMENT.map(([name, value, meaning]) => `  ${name.padEnd(width)}  ${meaning} [default: ${value}]`);
  return `${PROGRAM} ${VERSION}
Hides AWS identifiers and secrets from the LLM provider and restores them for Claude Code.

Usage:
  ${PROGRAM} [serve]            start the HTTP proxy (the default command)
  ${PROGRAM} verify-setup [--json] [--offline] [--env-file PATH]
                                  check configuration, store, upstream, port and runner;
                                  reads the service's env file when it exists (unless
                                  DATA_DIR or STORE_URL is set); creates nothing
  ${PROGRAM} mask [--jsonl] [--tenant NAME] [--env-file PATH] [--new-store]
                                  mask stdin to stdout with the service's store
  ${PROGRAM} unmask [--jsonl] [--tenant NAME] [--env-file PATH]
                                  restore surrogates from stdin to stdout
  ${PROGRAM} help | version | --help | --version

Configuration comes from environment variables (systemd: the EnvironmentFile, by default
/etc/claude-masking-proxy/proxy.env); command-line options do not set it:
${variables.join("\n")}

Durations take ms, s, m, h, d; sizes take B, KB, MB, GB.`;
}
