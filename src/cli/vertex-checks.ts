/**
 * verify-setup's checks for UPSTREAM_PROVIDER=vertex: the project and region, where the proxy's
 * Google identity comes from (the kind of application-default credentials, never a secret), an
 * access token minted with it, and a token-count call that proves it may call Claude on Vertex.
 */
import { readFileSync } from "node:fs";
import { GoogleAuth } from "google-auth-library";
import { VertexUpstream } from "../anthropic/vertex-upstream.ts";
import type { Config } from "../config.ts";
import { ProxyError } from "../errors.ts";
import type { CheckResult } from "./checks.ts";

/** The kind of credentials GOOGLE_APPLICATION_CREDENTIALS names, or the metadata server. */
function credentialSource(env: Record<string, string | undefined>): string {
  const file = env.GOOGLE_APPLICATION_CREDENTIALS;
  if (!file) return "the metadata server or gcloud's application-default login";
  try {
    const json = JSON.parse(readFileSync(file, "utf8")) as { type?: string; client_email?: string };
    if (json.type === "service_account") return `a service-account key (${json.client_email ?? "?"}) in ${file}`;
    if (json.type === "external_account") return `workload identity federation, configured in ${file}`;
    if (json.type === "authorized_user") return `user credentials in ${file}`;
    return `${json.type ?? "unknown"} credentials in ${file}`;
  } catch {
    return `${file} (unreadable)`;
  }
}

export async function checkVertex(config: Config, options: { offline: boolean; env?: Record<string, string | undefined> }): Promise<CheckResult[]> {
  const env = options.env ?? process.env;
  if (!config.vertexProjectId || !config.vertexRegion) {
    return [{ name: "Vertex project", status: "fail", detail: "VERTEX_PROJECT_ID or VERTEX_REGION is not set", fix: "set VERTEX_PROJECT_ID (e.g. acme-prod-123) and VERTEX_REGION (e.g. us-east5)" }];
  }
  const results: CheckResult[] = [{ name: "Vertex project", status: "pass", detail: `${config.vertexProjectId} in ${config.vertexRegion}` }];
  const source = credentialSource(env);
  if (options.offline) return [...results, { name: "Google credentials", status: "pass", detail: source }];
  try {
    const auth = new GoogleAuth({ scopes: "https://www.googleapis.com/auth/cloud-platform", projectId: config.vertexProjectId });
    const token = await (await auth.getClient()).getAccessToken();
    if (!token.token) throw new Error("no token");
    results.push({ name: "Google credentials", status: "pass", detail: `${source}: an access token was minted` });
  } catch {
    return [...results, { name: "Google credentials", status: "fail", detail: `${source}: no access token could be minted`, fix: "set GOOGLE_APPLICATION_CREDENTIALS to a service-account key or a workload identity federation file, or run where the metadata server answers" }];
  }
  const name = "Vertex access";
  try {
    const upstream = new VertexUpstream({ region: config.vertexRegion, projectId: config.vertexProjectId, baseURL: config.vertexBaseUrl, timeoutMs: 5_000 });
    const body = JSON.stringify({ model: "claude-sonnet-4-5", messages: [{ role: "user", content: "verify-setup" }] });
    const response = await upstream.send({ method: "post", path: "/v1/messages/count_tokens", clientHeaders: new Headers(), body });
    const text = await new Response(response.body).text();
    if (response.status === 200) results.push({ name, status: "pass", detail: "a token-count call for claude-sonnet-4-5 succeeded" });
    else {
      const message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? `HTTP ${response.status}`;
      results.push({ name, status: "fail", detail: `Vertex answered HTTP ${response.status}: ${message}`, fix: "grant the proxy's identity the Vertex AI User role on the project and enable the Claude models in Model Garden for this region" });
    }
  } catch (error) {
    results.push({ name, status: "fail", detail: error instanceof ProxyError ? error.message : "the call failed", fix: "check VERTEX_REGION, VERTEX_BASE_URL, proxies and the firewall (or pass --offline)" });
  }
  return results;
}
