/**
 * Regression: "metric label values are built from user text (an ARN's service and resource
 * type)". An ARN masked by parts has a type made of the ARN's own words; /metrics and the
 * request log now name only catalogue types and `arn_resource`, so no tenant's text reaches
 * them and the label set stays bounded.
 */
import { afterAll, expect, test } from "bun:test";
import { respond, startScriptedUpstream } from "../fixtures/scripted-upstream.ts";
import { startTestProxy, TEST_METRICS_TOKEN } from "../helpers/test-proxy.ts";

const upstream = await startScriptedUpstream();
const proxy = await startTestProxy({ upstreamUrl: upstream.url });
afterAll(async () => {
  await proxy.stop();
  await upstream.stop();
});

const USER_WORDS = ["zzsecretsvc", "ZZSECRETSVC", "my-private-thing", "my_private_thing", "MY_PRIVATE_THING", "qqhiddensvc", "QQHIDDENSVC", "other-secret-kind", "other_secret_kind", "OTHER_SECRET_KIND"];
const PROMPT =
  "Compare arn:aws:zzsecretsvc:us-east-1:123456789012:my-private-thing/name with " +
  "arn:aws:qqhiddensvc:eu-west-1:123456789012:other-secret-kind:prod-db and arn:aws:iam::123456789012:role/deploy on i-0a1b2c3d4e5f67890";

const post = (path: string, body: unknown) =>
  fetch(`${proxy.url}${path}`, { method: "POST", headers: { "x-api-key": proxy.key, "content-type": "application/json" }, body: JSON.stringify(body) });

test("ARNs of made-up services and resource types: /metrics and the logs name only catalogue types", async () => {
  upstream.script(respond.message({ content: [{ type: "text", text: "ok" }] }));
  const message = await post("/v1/messages", { model: "claude-x", max_tokens: 5, messages: [{ role: "user", content: PROMPT }] });
  expect(message.status).toBe(200);
  await message.text();
  const counted = await post("/v1/messages/count_tokens", { model: "claude-x", messages: [{ role: "user", content: PROMPT }] });
  expect(counted.status).toBe(200);
  await counted.text();
  // The ARNs were masked by parts (the upstream saw the resource names replaced, by design keeping service and type).
  expect(upstream.requests[0]!.json.messages[0].content).toBe(
    "Compare arn:aws:zzsecretsvc:us-east-1:AWS_ACCOUNT_001:my-private-thing/AWS_ZZSECRETSVC_MY_PRIVATE_THING_001 with " +
      "arn:aws:qqhiddensvc:eu-west-1:AWS_ACCOUNT_001:other-secret-kind:AWS_QQHIDDENSVC_OTHER_SECRET_KIND_001 and arn:aws:iam::AWS_ACCOUNT_001:role/AWS_IAM_ROLE_001 on AWS_EC2_001",
  );

  const metrics = await (await fetch(`${proxy.url}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } })).text();
  const masked = metrics.split("\n").filter((line) => line.startsWith("cmp_entities_masked_total{"));
  expect(masked.sort()).toEqual([
    'cmp_entities_masked_total{type="arn_resource"} 6',
    'cmp_entities_masked_total{type="aws_account_id"} 2',
    'cmp_entities_masked_total{type="ec2_instance"} 2',
  ]);

  const requestLines = proxy.logs.map((line) => JSON.parse(line)).filter((entry) => entry.msg === "request");
  expect(requestLines.map((entry) => [entry.route, entry.masked])).toEqual([
    ["/v1/messages", { aws_account_id: 1, arn_resource: 3, ec2_instance: 1 }],
    ["/v1/messages/count_tokens", { aws_account_id: 1, arn_resource: 3, ec2_instance: 1 }],
    ["/metrics", undefined],
  ]);
  const written = [metrics, ...proxy.logs].join("\n");
  for (const word of USER_WORDS) expect(written).not.toContain(word);
});

test("the label of a masked type: catalogue types as they are, ARN parts as arn_resource, anything else other", () => {
  const metrics = proxy.services.metrics;
  for (const type of ["ec2_instance", "aws_account_id", "aws_secret_access_key", "github_token", "arn", "s3_bucket", "ipv4_public"]) {
    expect(metrics.entityTypeLabel(type)).toBe(type);
  }
  expect(metrics.entityTypeLabel("arn_iam_role")).toBe("arn_resource");
  expect(metrics.entityTypeLabel("arn_zzsecretsvc_my_private_thing")).toBe("arn_resource");
  expect(metrics.entityTypeLabel("tenant text")).toBe("other");
});
