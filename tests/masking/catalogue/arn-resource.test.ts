/**
 * The ARN resource grammar as a table: a service and a resource field in, the values to mask
 * out (as the text they cover, with the type keyword they belong to).
 */
import { expect, test } from "bun:test";
import { resourceValues } from "../../../src/masking/catalogue/arn-resource.ts";

const TABLE: [service: string, resource: string, values: string[][]][] = [
  // Type keywords stay; everything after them, whatever it holds, is one value.
  ["cloudformation", "stack/CheckoutAudit/73cfb7fa-fb1f-4d68-b1ff-fca29ed4f1a6", [["CheckoutAudit/73cfb7fa-fb1f-4d68-b1ff-fca29ed4f1a6", "stack"]]],
  ["elasticloadbalancing", "loadbalancer/net/training-worker/930d50def781c228", [["training-worker/930d50def781c228", "loadbalancer"]]],
  ["elasticloadbalancing", "targetgroup/web-tg/0123456789abcdef", [["web-tg/0123456789abcdef", "targetgroup"]]],
  ["elasticloadbalancing", "listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2", [["web/50dc6c495c0c9188/f2f7dc8efc522ab2", "listener"]]],
  ["ssm", "parameter/dev/indexer/ledger", [["dev/indexer/ledger", "parameter"]]],
  ["ecs", "task/dev-ml/612108605debd0d6d8d2fe7efe38ea0d", [["dev-ml/612108605debd0d6d8d2fe7efe38ea0d", "task"]]],
  ["ecs", "service/cluster-a/orders-api", [["cluster-a/orders-api", "service"]]],
  ["eks", "nodegroup/prod/ng-1/0ec2b0c1-1234-5678-9abc-def012345678", [["prod/ng-1/0ec2b0c1-1234-5678-9abc-def012345678", "nodegroup"]]],
  ["states", "execution:order-flow:run-2024-05-01", [["order-flow:run-2024-05-01", "execution"]]],
  ["states", "stateMachine:order-flow", [["order-flow", "stateMachine"]]],
  ["secretsmanager", "secret:prod/payments/api-key-sanLXe", [["prod/payments/api-key-sanLXe", "secret"]]],
  ["apprunner", "service/receipts-99wt/0c1d6eb15fdcf822bde8fb6e86fa69db", [["receipts-99wt/0c1d6eb15fdcf822bde8fb6e86fa69db", "service"]]],
  // A revision, a wildcard or $LATEST at the end names nothing and stays readable.
  ["batch", "job-definition/backup-session:18", [["backup-session", "job-definition"]]],
  ["ecs", "task-definition/web:92", [["web", "task-definition"]]],
  ["lambda", "function:ingest:prod", [["ingest", "function"]]],
  ["lambda", "function:ingest:$LATEST", [["ingest", "function"]]],
  // IAM paths AWS defines stay readable; a customer's own path is part of the value.
  ["iam", "role/service-role/deploy-prod", [["deploy-prod", "role"]]],
  ["iam", "role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS", [["AWSServiceRoleForECS", "role"]]],
  ["iam", "role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123", [["AWSReservedSSO_Admin_0123", "role"]]],
  ["iam", "role/teams/payments/deployer", [["teams/payments/deployer", "role"]]],
  ["iam", "user/jdoe", [["jdoe", "user"]]],
  // STS: the role is the same value as in its IAM ARN, the session its own.
  ["sts", "assumed-role/StagingRole/botocore-session-1728704310", [["StagingRole", "role"], ["botocore-session-1728704310", "session"]]],
  // Logs: AWS's /aws/SERVICE/ prefix stays, as do :* and the log-stream keyword.
  ["logs", "log-group:/aws/lambda/mailer-w7idn:*", [["mailer-w7idn", "log-group"]]],
  ["logs", "log-group:/ecs/web:log-stream:ecs/web/0123abcd", [["/ecs/web", "log-group"], ["ecs/web/0123abcd", "log-stream"]]],
  // Services whose resource is a bare name.
  ["sns", "orders-topic", [["orders-topic"]]],
  ["sns", "orders-topic:6b59976f-d14b-4d7d-90c4-5105e6f45c86", [["orders-topic:6b59976f-d14b-4d7d-90c4-5105e6f45c86"]]],
  ["sqs", "orders.fifo", [["orders.fifo"]]],
  ["s3", "my-bucket/path/to/key.json", [["my-bucket"]]],
  ["execute-api", "oscbemq1xs/*/GET/ledger", [["oscbemq1xs", "api"], ["ledger", "path"]]],
  ["execute-api", "a1b2c3d4e5/prod/POST/orders/items", [["a1b2c3d4e5", "api"], ["prod", "stage"], ["orders/items", "path"]]],
  ["execute-api", "a1b2c3d4e5/*/*", [["a1b2c3d4e5", "api"]]],
  // An unknown service: a lower-case first word before a separator is its type.
  ["newsvc", "widget/abc-def/xyz", [["abc-def/xyz", "widget"]]],
  ["newsvc", "MyThing:abc", [["MyThing:abc"]]],
  ["apigateway", "/restapis/a1b2c3d4e5/stages/prod", [["a1b2c3d4e5/stages/prod", "restapis"]]],
  // Escaped and (double) URL-encoded separators are separators.
  ["cloudformation", "stack%252FSearchMetrics%252F48ff7bfb", [["SearchMetrics%252F48ff7bfb", "stack"]]],
  ["iam", "role%2Fservice-role%2Fprd-kyc", [["prd-kyc", "role"]]],
  ["iam", "role\\/deploy", [["deploy", "role"]]],
  // AWS-published parameters are nobody's.
  ["ssm", "parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", []],
  // Resources AWS publishes: reserved names, nobody's.
  ["ssm", "document/AWS-RunShellScript", []],
  ["ssm", "document/AmazonCloudWatch-ManageAgent", []],
  ["ssm", "document/acme-patch-baseline", [["acme-patch-baseline", "document"]]],
  ["securityhub", "product/aws/guardduty", []],
  ["securityhub", "standards/aws-foundational-security-best-practices/v/1.0.0", []],
  ["securityhub", "ruleset/cis-aws-foundations-benchmark/v/1.2.0", []],
  ["securityhub", "product/123456789012/default", [["123456789012/default", "product"]]],
  ["bedrock", "foundation-model/anthropic.claude-3-haiku-20240307-v1:0", []],
  ["bedrock", "custom-model/acme-tuned", [["acme-tuned", "custom-model"]]],
  ["elasticbeanstalk", "platform/Node.js 20 running on 64bit Amazon Linux 2023/6.1.0", []],
  ["elasticbeanstalk", "solutionstack/64bit Amazon Linux 2023 v6.1.0 running Node.js 20", []],
  ["elasticbeanstalk", "environment/acme-web/acme-web-prod", [["acme-web/acme-web-prod", "environment"]]],
];

test.each(TABLE)("%s %s", (service, resource, expected) => {
  const values = resourceValues(service, resource).map((v) => (v.type === undefined ? [resource.slice(v.start, v.end)] : [resource.slice(v.start, v.end), v.type]));
  expect(values).toEqual(expected);
});
