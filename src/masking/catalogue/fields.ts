/**
 * Names that only their field makes recognisable: the value of a JSON, YAML, .env, kwargs or
 * CLI field whose name says it holds an identifier (`"BucketName": "…"`, `S3_BUCKET=…`,
 * `Bucket=\"…\"`, `--function-name …`, `RoleName: …`), as one table. The field names are those
 * of the AWS CLI and SDK output shapes, CloudFormation properties and Terraform arguments
 * that carry a resource's own name. Also AWS's default bucket names, which spell the account
 * (`cdk-hnb659fds-assets-ACCOUNT-REGION`): recognisable anywhere.
 */
import { contextBefore, type CatalogueEntry, type Match } from "../types.ts";

const REGION = "[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d";
const BUCKET = "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]";
/** After a bucket name: no more of one, nor of a variable's name (`var.bucket_name`). */
const BUCKET_END = "(?![.-]*[A-Za-z0-9_])";
/** A resource name (IAM, Lambda, CloudFormation, DynamoDB, ECR, log groups): AWS's widest charset. */
const NAME = "\\/?[A-Za-z0-9][A-Za-z0-9_.+=@/#-]{1,255}";
const NAME_END = "(?![A-Za-z0-9_.+=@/#-])";

/** The quote around a key or value, JSON-escaped up to three times (`\\\"`). */
const QUOTE = String.raw`(?:\\{0,7}["'\x60])`;
/** `:`, `=`, `=>`, `:=` between a field's name and its value, or `aws.String(` (Go). */
const ASSIGN = String.raw`(?:${QUOTE}?[ \t]*(?::=|=>|:|=)[ \t]*(?:aws\.String\()?${QUOTE}?)`;

/**
 * Terraform and code references, not names: `var.bucket`, `local.x`, `props.bucketName`,
 * `aws_cloudwatch_log_group.app.name` (a resource type, then an attribute).
 */
const REFERENCE = /^(?:(?:var|local|locals|module|data|each|self|this|props|config|settings|env|os|process|args|params|cfg)\.|[a-z][a-z0-9]*_[a-z0-9_]*\.[a-z])/;
/** Words that fill a name's place without being one. */
const PLACEHOLDER = /^(?:true|false|null|none|nil|undefined|string|required|optional|example|default)$/i;

/**
 * Whether a field's value is a name: quoted, or of the shape of one (a `-`, `.` or digit in
 * it). An unquoted plain word after `Bucket: ` is a variable in code far more often.
 */
function isFieldName(value: string, text: string, index: number): boolean {
  if (REFERENCE.test(value) || PLACEHOLDER.test(value)) return false;
  const quoted = /["'\x60]/.test(text.charAt(index - 1));
  return quoted || /[-.0-9]/.test(value);
}

/**
 * A YAML mapping whose `name:` is the resource's (serverless.yml's `deploymentBucket:⏎  name: …`).
 */
const NESTED_NAME = String.raw`:[ \t]*\r?\n[ \t]+name:[ \t]*${QUOTE}?`;
/** AWS CDK's `Bucket.fromBucketName(this, 'Id', 'NAME')` and its siblings for roles, tables… */
const CDK_FROM_NAME = String.raw`\([ \t]*this[ \t]*,[ \t]*${QUOTE}[^"'\x60\n]{1,64}${QUOTE}[ \t]*,[ \t]*${QUOTE}`;

/** Field names that end in a word of the resource (`LogsBucket`, `bucket_name`, `S3_BUCKET`). */
const BUCKET_FIELD = String.raw`(?:ucket|UCKET)(?<=[Bb]ucket|BUCKET)(?:_?[Nn]ame|_NAME|-name)?(?![A-Za-z0-9])`;

/**
 * The name fields of other resources, by the word their name ends in before `Name` (case,
 * `_` and `-` ignored: `ExecutionRoleName`, `role_name`, `--role-name`). First match wins.
 */
const NAME_FIELDS: [word: string, prefix: string][] = [
  ["role", "AWS_IAM_ROLE"],
  ["instanceprofile", "AWS_IAM_INSTANCE_PROFILE"],
  ["policy", "AWS_IAM_POLICY"],
  ["function", "AWS_LAMBDA_FUNCTION"],
  ["stack", "AWS_CLOUDFORMATION_STACK"],
  ["table", "AWS_DYNAMODB_TABLE"],
  ["loggroup", "AWS_LOG_GROUP"],
  ["logstream", "AWS_LOG_STREAM"],
  ["repository", "AWS_REPOSITORY"],
  ["queue", "AWS_SQS_QUEUE"],
  ["topic", "AWS_SNS_TOPIC"],
  ["statemachine", "AWS_STATES_STATE_MACHINE"],
  ["loadbalancer", "AWS_ELB_NAME"],
  ["targetgroup", "AWS_ELB_TARGET_GROUP"],
  ["secret", "AWS_SECRETSMANAGER_SECRET"],
  ["keypair", "AWS_EC2_KEY_PAIR"],
  ["dbinstance", "AWS_RDS_DB"],
  ["dbcluster", "AWS_RDS_DB"],
  ["cluster", "AWS_CLUSTER"],
  ["stream", "AWS_KINESIS_STREAM"],
  ["userpool", "AWS_COGNITO_USER_POOL"],
  ["parameter", "AWS_SSM_PARAMETER"],
  ["bucket", "AWS_S3_BUCKET"],
  // AWS Config items, CloudTrail and Trusted Advisor name any resource so (`"resourceName": "…"`).
  ["resource", "AWS_RESOURCE"],
];
// Typed as the same resource inside an ARN is (arn.ts), so /metrics counts them together.
/** Types of their own where a catalogue entry already has one for the prefix. */
const OWN_TYPES: Record<string, string> = { AWS_LOG_GROUP: "log_group", AWS_S3_BUCKET: "s3_bucket" };
const NAME_KINDS = NAME_FIELDS.map(([word, prefix]) => ({ word, prefix, type: OWN_TYPES[prefix] ?? prefix.toLowerCase().replace(/^aws_/, "arn_") }));

/** The kind of a `…Name` field from the words before `Name`, if the table has it. */
function nameKind(head: string) {
  const words = head.toLowerCase().replace(/[_-]/g, "");
  return NAME_KINDS.find((kind) => words.endsWith(kind.word));
}

/**
 * AWS's default bucket names and the account they spell: CDK's bootstrap buckets, Elastic
 * Beanstalk's, SageMaker's, Athena's query results, Glue's assets, CloudTrail's console
 * default (with its random suffix). The rest of the name is AWS's and stays readable.
 */
const DEFAULT_BUCKET_HEAD = String.raw`(?:cdk-[a-z0-9]{9}-(?:assets|container-assets)|aws-cloudtrail-logs|aws-athena-query-results|aws-glue-assets|aws-emr-resources|aws-sam-cli-managed-default-samclisourcebucket|elasticbeanstalk-${REGION}|sagemaker-${REGION}|sagemaker-studio|cf-templates-[a-z0-9]{12}-${REGION})`;

export const fieldEntries: CatalogueEntry[] = [
  {
    // Bucket=…, "BucketName": "…", S3_BUCKET=…, bucket: …, --bucket …, the bucket acme-uploads.
    type: "s3_bucket",
    prefix: "AWS_S3_BUCKET",
    priority: 15,
    triggers: [{ chars: "kK", when: "(?<=(?i:buck))(?=(?i:et))", back: [2] }],
    everyStart: true,
    pattern: new RegExp(
      `${BUCKET_FIELD}(?:${ASSIGN}|${NESTED_NAME}|(?<=--bucket(?:-name)?)[ =]|(?<=(?<![A-Za-z0-9_-])[Bb]ucket) ${QUOTE}?(?=[a-z0-9.-]*[-.0-9])(?=[a-z0-9.-]*[a-z]))(?<value>${BUCKET})${BUCKET_END}`,
      "g",
    ),
    validate: isFieldName,
  },
  {
    // CodePipeline's ArtifactStore (`Type: S3` then `Location: BUCKET`).
    type: "s3_bucket",
    prefix: "AWS_S3_BUCKET",
    priority: 15,
    triggers: [{ chars: "L", when: "(?=ocation)" }],
    pattern: new RegExp(`Location${ASSIGN}(?<value>${BUCKET})${BUCKET_END}`, "g"),
    validate: (value, text, index) => isFieldName(value, text, index) && contextBefore(text, index, /Type["']?\s*[:=]\s*["']?S3["']?\s*,?\s*["']?Location["']?\s*[:=]\s*["']?$/),
  },
  {
    // RoleName, "FunctionName": "…", stack_name = "…", --table-name …: read from "name" on.
    type: "arn_iam_role",
    prefix: "AWS_IAM_ROLE",
    priority: 20,
    // At the capital of `RoleName` or the separator of `role_name`, `ROLE_NAME`, `--role-name`:
    // rarer than any letter of `name`, and the many bare `"Name"` keys are no stop.
    triggers: [
      { chars: "N", when: "(?<=[a-z]N)(?=ame)" },
      { chars: "_-", when: "(?<=[A-Za-z][_-])(?=name|NAME|Name)" },
    ],
    everyStart: true,
    pattern: new RegExp(
      String.raw`[_-]?(?:[Nn]ame|NAME)(?<=(?<![A-Za-z0-9])(?:--)?(?<head>[A-Za-z][A-Za-z_-]{1,24}?)[_-]?(?:[Nn]ame|NAME))(?![A-Za-z0-9_])(?:${ASSIGN}|${CDK_FROM_NAME}|(?<=--[a-z-]+-name)[ =])(?<value>${NAME})${NAME_END}`,
      "g",
    ),
    classify: (groups) => nameKind(groups.head!),
    // Only the kinds not typed like an ARN part: those (`arn_iam_role`…) are named by their
    // prefix, as inside an ARN, and /metrics counts them as arn_resource.
    family: NAME_KINDS.filter((kind) => !kind.type.startsWith("arn_")),
    validate: isFieldName,
  },
  {
    // "logGroup": "/ecs/web", awslogs-group: /ecs/web, log_group = "…" (…Name fields are above).
    // AWS's own `/aws/SERVICE/` prefix stays readable.
    type: "log_group",
    prefix: "AWS_LOG_GROUP",
    priority: 16,
    // At the capital of `logGroup` or the separator of `log_group`, `awslogs-group`.
    triggers: [
      { chars: "G", when: "(?<=[Ll]ogG)(?=roup)" },
      { chars: "_-", when: "(?<=(?:[Ll]og|LOG)_|awslogs-)(?=group|GROUP|Group)" },
    ],
    pattern: new RegExp(
      String.raw`[_-]?(?:group|GROUP|Group)(?<=(?<![A-Za-z0-9])(?:[Ll]og[_-]?|LOG_|awslogs-)(?:group|GROUP|Group))(?:${ASSIGN})(?:\/aws\/[a-z0-9-]+\/)?(?<value>\/?[A-Za-z0-9_.#-][A-Za-z0-9_.#/-]{0,511})(?![A-Za-z0-9_.#/-])`,
      "g",
    ),
    validate: isFieldName,
  },
  {
    // An S3 server access log record: `OWNER_CANONICAL_ID BUCKET [06/Feb/2019:00:00:38 +0000] …`.
    type: "s3_bucket",
    prefix: "AWS_S3_BUCKET",
    priority: 15,
    triggers: [{ chars: "[", when: String.raw`(?<=[a-z0-9] \[)(?=\d{2}\/[A-Z][a-z]{2}\/\d{4}:)` }],
    pattern: new RegExp(String.raw`\[(?<=(?<![0-9a-f])[0-9a-f]{64} (?<lead>${BUCKET}) \[)\d{2}\/[A-Z][a-z]{2}\/\d{4}:`, "g"),
    leadIn: (groups) => groups.lead!.length + 1,
    leadOnly: true,
  },
  {
    type: "s3_bucket",
    prefix: "AWS_S3_BUCKET",
    priority: 14,
    // At the `-` before the account; the head is read in a lookbehind.
    triggers: [{ chars: "-", when: String.raw`(?=\d{12}(?![0-9]))` }],
    everyStart: true,
    pattern: new RegExp(String.raw`-(?<=(?<![a-z0-9.-])${DEFAULT_BUCKET_HEAD}-)(?<account>\d{12})(?<tail>-[0-9a-f]{8}(?![a-z0-9-])|-${REGION})?(?![a-z0-9.-]*[a-z0-9])`, "g"),
    expand: (value, index, groups): Match[] => {
      const parts: Match[] = [{ start: index + 1, end: index + 13, type: "aws_account_id", prefix: "AWS_ACCOUNT", priority: 10 }];
      // CloudTrail's random suffix names this trail's bucket alone.
      const tail = groups.tail;
      if (tail && /^-[0-9a-f]{8}$/.test(tail)) parts.push({ start: index + 14, end: index + value.length, type: "s3_bucket", prefix: "AWS_S3_BUCKET", priority: 14 });
      return parts;
    },
  },
];
