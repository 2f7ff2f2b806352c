/**
 * Client authentication: a proxy key, sent as `Authorization: Bearer KEY` (Claude Code's
 * ANTHROPIC_AUTH_TOKEN) or `x-api-key: KEY` (ANTHROPIC_API_KEY and the SDK default), maps
 * to a tenant. Keys are compared as SHA-256 digests in constant time, over every key.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { TenantKey } from "../secrets.ts";
import { ProxyError, unauthorized } from "../errors.ts";

const digest = (key: string) => createHash("sha256").update(key, "utf8").digest();

export interface Caller {
  tenant: string;
  /** The proxy key the caller presented; the runner hands it to its claude child. */
  key: string;
}

export interface Authenticator {
  /** Returns the caller's tenant and key, or throws a 401 ProxyError. */
  authenticate(input: { bearer?: string; apiKey?: string | null; url: string }): Caller;
  readonly tenants: string[];
}

export function createAuthenticator(keys: readonly TenantKey[]): Authenticator {
  if (keys.length === 0) throw new Error("no proxy keys configured: set PROXY_API_KEYS or PROXY_API_KEYS_FILE");
  const table = keys.map(({ tenant, key }) => ({ tenant, digest: digest(key) }));

  const tenantOf = (presented: string | undefined | null): string | undefined => {
    if (!presented) return undefined;
    const candidate = digest(presented);
    let found: string | undefined;
    // No early exit: the time taken must not depend on which key matched.
    for (const entry of table) {
      if (timingSafeEqual(candidate, entry.digest) && found === undefined) found = entry.tenant;
    }
    return found;
  };

  return {
    tenants: [...new Set(keys.map((entry) => entry.tenant))],
    authenticate({ bearer, apiKey, url }) {
      // Tokens in URLs end up in access logs and shell history; refuse them outright.
      const query = new URL(url).searchParams;
      if (query.has("access_token") || query.has("api_key") || query.has("key")) {
        throw unauthorized("Credentials in the query string are refused (URLs end up in logs); send the proxy key in the x-api-key or Authorization header.");
      }
      if (!bearer && !apiKey) {
        throw unauthorized("Missing proxy key: send it as `x-api-key: KEY` or `Authorization: Bearer KEY` (ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN for Claude Code).");
      }
      const bearerTenant = tenantOf(bearer);
      if (bearerTenant !== undefined) return { tenant: bearerTenant, key: bearer! };
      const apiKeyTenant = tenantOf(apiKey);
      if (apiKeyTenant !== undefined) return { tenant: apiKeyTenant, key: apiKey! };
      throw unauthorized("Invalid proxy key: use a key from PROXY_API_KEYS (not an Anthropic or other provider key).");
    },
  };
}

/**
 * GET /metrics: the scraper presents METRICS_TOKEN as a Bearer token. Never a proxy key: a
 * scraper's credentials end up in monitoring configs, and a proxy key can also make LLM calls.
 * Without a token configured, metrics are off.
 */
export function metricsAuthorizer(token: string | undefined): (authorization: string | null) => void {
  const expected = token ? digest(token) : undefined;
  return (authorization) => {
    if (!expected) {
      throw new ProxyError(403, "permission_error", "Metrics are off: set METRICS_TOKEN on the proxy host and scrape with `Authorization: Bearer TOKEN` (proxy keys are not accepted here).");
    }
    const presented = /^Bearer\s+(.+)$/i.exec(authorization ?? "")?.[1]?.trim();
    if (!presented || !timingSafeEqual(digest(presented), expected)) {
      throw unauthorized("Invalid metrics token: send METRICS_TOKEN as `Authorization: Bearer TOKEN`.");
    }
  };
}
