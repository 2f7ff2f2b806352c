/**
 * The upstream a suite runs against: the scripted Anthropic API by default, or, with
 * TEST_UPSTREAM_PROVIDER=bedrock, the Bedrock stand-in behind a proxy configured for Bedrock.
 * The same suites then run unchanged against both (scripts/test.sh runs the Bedrock pass).
 */
import { DEFAULT_MODEL_MAP } from "../../src/anthropic/model-map.ts";
import { STAND_IN_CREDENTIALS, STAND_IN_REGION, startBedrockStandIn } from "../fixtures/bedrock-upstream.ts";
import { startScriptedUpstream, type ScriptedUpstream } from "../fixtures/scripted-upstream.ts";

export const UPSTREAM_PROVIDER = process.env.TEST_UPSTREAM_PROVIDER === "bedrock" ? "bedrock" : "anthropic";
export const ON_BEDROCK = UPSTREAM_PROVIDER === "bedrock";

/** The model names the suites send, and the Bedrock IDs they stand for there. */
const TEST_MODELS: Record<string, string> = { m: "anthropic.claude-test-m-v1:0", "claude-x": "anthropic.claude-test-x-v1:0" };

export interface UpstreamUnderTest {
  upstream: ScriptedUpstream;
  /** What the proxy's environment needs to use it (besides ANTHROPIC_UPSTREAM_URL). */
  proxyEnv: Record<string, string>;
}

export async function startUpstreamUnderTest(): Promise<UpstreamUnderTest> {
  if (!ON_BEDROCK) {
    const upstream = await startScriptedUpstream();
    return { upstream, proxyEnv: { ANTHROPIC_UPSTREAM_URL: upstream.url } };
  }
  const names: Record<string, string> = {};
  for (const [name, id] of Object.entries({ ...DEFAULT_MODEL_MAP, ...TEST_MODELS })) if (!(id in names) || name.length > names[id]!.length) names[id] = name;
  const upstream = await startBedrockStandIn({ names: { ...names, [TEST_MODELS.m!]: "m", [TEST_MODELS["claude-x"]!]: "claude-x" } });
  // The credential chain reads the environment first, as for a real deployment.
  process.env.AWS_ACCESS_KEY_ID = STAND_IN_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = STAND_IN_CREDENTIALS.secretAccessKey;
  return {
    upstream,
    proxyEnv: {
      UPSTREAM_PROVIDER: "bedrock",
      AWS_REGION: STAND_IN_REGION,
      BEDROCK_BASE_URL: upstream.url,
      MODEL_MAP: JSON.stringify(TEST_MODELS),
      AWS_ACCESS_KEY_ID: STAND_IN_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: STAND_IN_CREDENTIALS.secretAccessKey,
    },
  };
}
