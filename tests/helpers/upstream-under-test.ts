/**
 * The upstream a suite runs against: the scripted Anthropic API by default, or, with
 * TEST_UPSTREAM_PROVIDER=bedrock, the Bedrock stand-in behind a proxy configured for Bedrock.
 * The same suites then run unchanged against both (scripts/test.sh runs the Bedrock pass).
 */
import { DEFAULT_MODEL_MAP } from "../../src/anthropic/model-map.ts";
import { STAND_IN_CREDENTIALS, STAND_IN_REGION, startBedrockStandIn } from "../fixtures/bedrock-upstream.ts";
import { startScriptedUpstream, type ScriptedUpstream } from "../fixtures/scripted-upstream.ts";
import { STAND_IN_PROJECT, STAND_IN_VERTEX_REGION, startVertexStandIn } from "../fixtures/vertex-upstream.ts";

export const UPSTREAM_PROVIDER = process.env.TEST_UPSTREAM_PROVIDER === "bedrock" ? "bedrock" : process.env.TEST_UPSTREAM_PROVIDER === "vertex" ? "vertex" : "anthropic";
export const ON_BEDROCK = UPSTREAM_PROVIDER === "bedrock";
export const ON_VERTEX = UPSTREAM_PROVIDER === "vertex";
/** A cloud provider's upstream: its own words for errors, no model listing, the proxy's own identity. */
export const ON_CLOUD = ON_BEDROCK || ON_VERTEX;

/** The model names the suites send, and the Bedrock IDs they stand for there. */
const TEST_MODELS: Record<string, string> = { m: "anthropic.claude-test-m-v1:0", "claude-x": "anthropic.claude-test-x-v1:0" };

export interface UpstreamUnderTest {
  upstream: ScriptedUpstream;
  /** What the proxy's environment needs to use it (besides ANTHROPIC_UPSTREAM_URL). */
  proxyEnv: Record<string, string>;
}

export async function startUpstreamUnderTest(): Promise<UpstreamUnderTest> {
  if (ON_VERTEX) {
    const upstream = await startVertexStandIn({ names: { "claude-test-m": "m", "claude-x": "claude-x" } });
    // Application-default credentials, as on a real host: the library reads this variable.
    process.env.GOOGLE_APPLICATION_CREDENTIALS = upstream.credentialsFile;
    return {
      upstream,
      proxyEnv: {
        UPSTREAM_PROVIDER: "vertex",
        VERTEX_PROJECT_ID: STAND_IN_PROJECT,
        VERTEX_REGION: STAND_IN_VERTEX_REGION,
        VERTEX_BASE_URL: upstream.url,
        MODEL_MAP: JSON.stringify({ m: "claude-test-m" }),
        GOOGLE_APPLICATION_CREDENTIALS: upstream.credentialsFile,
      },
    };
  }
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
