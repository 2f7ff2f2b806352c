/**
 * verify-setup's checks for UPSTREAM_PROVIDER=bedrock: the region, where the proxy's AWS
 * identity comes from (which source, and the access key ID's last four characters, never a
 * secret), the model map, and a signed CountTokens call that proves the identity may use the
 * first mapped model.
 */
import { AnthropicBedrock } from "@anthropic-ai/bedrock-sdk";
import { APIConnectionError, APIError } from "@anthropic-ai/sdk";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { loadModelMap, type ModelMap } from "../anthropic/model-map.ts";
import type { Config } from "../config.ts";
import { classifyNetworkFailure, describeNetworkFailure } from "../network-failure.ts";
import type { CheckResult } from "./checks.ts";

/** The credential sources of the standard chain, in its order, named for an operator. */
async function credentialSources(env: Record<string, string | undefined>): Promise<[string, AwsCredentialIdentityProvider][]> {
  const providers = await import("@aws-sdk/credential-providers");
  const profile = env.AWS_PROFILE ?? "default";
  return [
    ["environment (AWS_ACCESS_KEY_ID)", providers.fromEnv()],
    [`shared config, profile ${profile}`, providers.fromIni({ profile })],
    [`SSO, profile ${profile}`, providers.fromSSO({ profile })],
    ["web identity token (EKS IRSA, AWS_WEB_IDENTITY_TOKEN_FILE)", providers.fromTokenFile()],
    ["ECS task role", providers.fromContainerMetadata({ timeout: 1_000, maxRetries: 0 })],
    ["EC2 instance role", providers.fromInstanceMetadata({ timeout: 1_000, maxRetries: 0 })],
  ];
}

export async function checkBedrock(config: Config, options: { offline: boolean; env?: Record<string, string | undefined> }): Promise<CheckResult[]> {
  const env = options.env ?? process.env;
  const results: CheckResult[] = [];
  if (!config.awsRegion) {
    return [{ name: "AWS_REGION", status: "fail", detail: "not set", fix: "set AWS_REGION to the region the proxy calls Bedrock in, e.g. us-east-1" }];
  }
  results.push({ name: "AWS_REGION", status: "pass", detail: config.awsRegion });

  let models: ModelMap;
  try {
    models = loadModelMap(config.modelMap);
    results.push({ name: "model map", status: "pass", detail: `${Object.keys(models.table).length} model names map to ${models.bedrockIds().length} Bedrock IDs${config.modelMap ? " (MODEL_MAP over the built-in table)" : " (built-in table)"}` });
  } catch (error) {
    return [...results, { name: "model map", status: "fail", detail: (error as Error).message, fix: 'set MODEL_MAP to a JSON object such as {"claude-sonnet-4-5": "us.anthropic.claude-sonnet-4-5-20250929-v1:0"}, or @/path/to/map.json' }];
  }

  let credentials: AwsCredentialIdentityProvider | undefined;
  if (config.bedrockApiKey) {
    results.push({ name: "AWS credentials", status: "pass", detail: "a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK)" });
  } else {
    for (const [source, provider] of await credentialSources(env)) {
      try {
        const found = await provider();
        credentials = async () => found;
        results.push({ name: "AWS credentials", status: "pass", detail: `${source}: access key …${found.accessKeyId.slice(-4)}${found.sessionToken ? " (temporary)" : ""}` });
        break;
      } catch {
        // The next source in the chain.
      }
    }
    if (!credentials) {
      return [...results, { name: "AWS credentials", status: "fail", detail: "none found in the environment, shared config or SSO, web identity, ECS or EC2 metadata", fix: "give the proxy an AWS identity (an instance or task role, IRSA, a profile) or set AWS_BEARER_TOKEN_BEDROCK" }];
    }
  }

  if (options.offline) return results;
  // A signed call that costs nothing: CountTokens on the first mapped model.
  const model = models.bedrockIds()[0]!;
  const client = new AnthropicBedrock({
    awsRegion: config.awsRegion,
    baseURL: config.bedrockBaseUrl ?? `https://bedrock-runtime.${config.awsRegion}.amazonaws.com`,
    apiKey: config.bedrockApiKey ?? null,
    providerChainResolver: credentials ? async () => credentials! : null,
    maxRetries: 0,
    timeout: 5_000,
  });
  const invokeBody = Buffer.from(JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 1, messages: [{ role: "user", content: "verify-setup" }] })).toString("base64");
  const name = "Bedrock access";
  try {
    await client
      .request({ method: "post", path: `/model/${encodeURIComponent(model).replaceAll("%3A", ":")}/count-tokens`, body: { input: { invokeModel: { body: invokeBody } } }, headers: { "anthropic-version": null } })
      .asResponse();
    results.push({ name, status: "pass", detail: `a signed CountTokens call for ${model} succeeded` });
  } catch (error) {
    if (error instanceof APIError && error.status !== undefined) {
      const kind = (error.headers?.get("x-amzn-errortype") ?? "").split(":")[0];
      const fix =
        error.status === 403
          ? `allow bedrock:InvokeModel, bedrock:InvokeModelWithResponseStream and bedrock:CountTokens on the mapped models for the proxy's identity, and enable model access in the Bedrock console (see README, "Amazon Bedrock")`
          : `check that ${model} is offered in ${config.awsRegion} and enabled for this account, or change MODEL_MAP`;
      results.push({ name, status: "fail", detail: `Bedrock answered HTTP ${error.status}${kind ? ` (${kind})` : ""} for ${model}`, fix });
    } else if (error instanceof APIConnectionError) {
      const where = new URL(config.bedrockBaseUrl ?? `https://bedrock-runtime.${config.awsRegion}.amazonaws.com`).host;
      results.push({ name, status: "fail", detail: describeNetworkFailure(classifyNetworkFailure(error), where), fix: "check AWS_REGION, BEDROCK_BASE_URL, the VPC endpoint or proxy settings and the firewall (or pass --offline)" });
    } else throw error;
  }
  return results;
}
