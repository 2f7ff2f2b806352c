/** AWS host names and name-like identifiers that only context makes recognisable. */
import { AFTER_ESCAPE } from "../boundary.ts";
import { contextBefore, type CatalogueEntry } from "../types.ts";
import { AWS_HOSTED_ZONES } from "./aws-hosted-zones.ts";
import { AMAZONAWS, ZONE } from "./triggers.ts";

/** Not inside a longer host name; a URL escape (`%2F`) before it counts as a boundary. */
const HOST_START = `(?:(?<![A-Za-z0-9.-])|${AFTER_ESCAPE})`;
/**
 * Not followed by more of a host name: the first character after any dots and hyphens is no
 * letter or digit (the same as `(?![A-Za-z0-9.-]*[A-Za-z0-9])`, without reading the rest of a
 * long name and backtracking through it).
 */
const HOST_END = "(?![.-]*[A-Za-z0-9])";
/** The same after a bucket name. */
const BUCKET_END = "(?![.-]*[a-z0-9])";
const REGION = "[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d";
const BUCKET = "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]";

/**
 * An AWS host name `head + amazonaws.com`, e.g. `db.c9akciq32.us-east-1.rds.` + `amazonaws.com`.
 * The regex starts at `amazonaws.com`, shared by every host entry (see AMAZONAWS), and reads
 * the head in a lookbehind (see leadIn).
 */
const awsHost = (type: string, prefix: string, head: string): CatalogueEntry => ({
  type,
  prefix,
  priority: 15,
  triggers: [AMAZONAWS],
  everyStart: true,
  pattern: new RegExp(`amazonaws\\.com(?<=${HOST_START}(?<lead>${head})amazonaws\\.com)(?:\\.cn)?${HOST_END}`, "g"),
  leadIn: (groups) => groups.lead!.length,
});

/** `/aws/SERVICE/` after its first `/` (see the log_group entry). */
const LOG_GROUP_AFTER_SLASH = String.raw`aws\/(?<=(?<![A-Za-z0-9_])\/aws\/)(?:lambda|ecs|eks|rds\/instance|rds\/cluster|apigateway|codebuild|vendedlogs|kinesisfirehose|batch|sagemaker\/[A-Za-z]+|states)\/`;

/** A URL path separator, also URL-encoded or JSON-escaped (`\/`, `\\\/` in JSON inside JSON). */
const PATH_SEP = "(?:\\\\{0,3}\\/|%2[Ff])";
/** An SQS queue's name (`.fifo` included); a sentence's final `.` is not part of it. */
const QUEUE_NAME = "[A-Za-z0-9_-]{1,80}(?:\\.fifo)?(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])";

/**
 * An SQS queue URL, `sqs.REGION.amazonaws.com/ACCOUNT/QUEUE` or the legacy
 * `REGION.queue.amazonaws.com/…`: the host stays readable; the account is masked as the same
 * AWS_ACCOUNT as everywhere, and the queue's name as one value.
 */
const sqsQueueUrl: CatalogueEntry = {
  type: "sqs_queue_url",
  prefix: "AWS_SQS_QUEUE",
  priority: 15,
  triggers: [AMAZONAWS],
  everyStart: true,
  pattern: new RegExp(
    `amazonaws\\.com(?<=${HOST_START}(?:sqs(?:-fips)?\\.(?:${REGION}\\.)?|(?:${REGION}\\.)?queue\\.)amazonaws\\.com)(?:\\.cn)?${PATH_SEP}\\d{12}(?![0-9])(?:${PATH_SEP}${QUEUE_NAME})?`,
    "g",
  ),
  // The account always; the queue's name when it is one (`a.b` is not: the account alone).
  expand: (value, index) => {
    const path = /(\/|%2[Ff])(\d{12})(\\{0,3}\/|%2[Ff])?/.exec(value)!;
    const accountStart = index + path.index + path[1]!.length;
    const parts = [{ start: accountStart, end: accountStart + 12, type: "aws_account_id", prefix: "AWS_ACCOUNT", priority: 10 }];
    const queueStart = accountStart + 12 + (path[3]?.length ?? 0);
    if (queueStart < index + value.length) parts.push({ start: queueStart, end: index + value.length, type: "sqs_queue", prefix: "AWS_SQS_QUEUE", priority: 15 });
    return parts;
  },
};

/** An ECR repository path: lowercase components joined by `.`, `_`, `-`, and `/` between them. */
const ECR_REPOSITORY = "[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*";

/**
 * The repository of an ECR image URI (`ACCOUNT.dkr.ecr.REGION.amazonaws.com/team/api:1.2`): one
 * value, the whole path. The registry's account is credentials.ts's; the tag or digest stays.
 */
const ecrRepository: CatalogueEntry = {
  type: "ecr_repository",
  prefix: "AWS_ECR_REPOSITORY",
  priority: 15,
  triggers: [AMAZONAWS],
  everyStart: true,
  pattern: new RegExp(`amazonaws\\.com(?<=\\.dkr\\.ecr(?:-fips)?\\.[a-z0-9-]+\\.amazonaws\\.com)(?:\\.cn)?(?:\\/|%2[Ff])(?<value>${ECR_REPOSITORY})(?![A-Za-z0-9])`, "g"),
};

export const endpointEntries: CatalogueEntry[] = [
  sqsQueueUrl,
  ecrRepository,
  awsHost("rds_endpoint", "AWS_RDS_ENDPOINT", `[a-z0-9][a-z0-9-]*\\.(?:cluster-(?:ro-|custom-)?|proxy-)?[a-z0-9]+\\.${REGION}\\.rds\\.`),
  awsHost("elasticache_endpoint", "AWS_ELASTICACHE_ENDPOINT", `[a-z0-9][a-z0-9-]*(?:\\.[a-z0-9-]+){1,4}\\.cache\\.`),
  awsHost("redshift_endpoint", "AWS_REDSHIFT_ENDPOINT", `[a-z0-9][a-z0-9-]*(?:\\.[a-z0-9-]+)?\\.${REGION}\\.redshift(?:-serverless)?\\.`),
  awsHost("eks_endpoint", "AWS_EKS_ENDPOINT", `[A-Za-z0-9]{16,64}\\.[a-z0-9]{2,4}\\.${REGION}\\.eks\\.`),
  awsHost("elb_endpoint", "AWS_ELB_ENDPOINT", `(?:internal-|dualstack\\.)?[A-Za-z0-9][A-Za-z0-9-]*-\\d{6,12}\\.${REGION}\\.elb\\.`),
  awsHost("nlb_endpoint", "AWS_ELB_ENDPOINT", `[A-Za-z0-9][A-Za-z0-9-]*-[0-9a-f]{16}\\.elb\\.${REGION}\\.`),
  awsHost("api_gateway_endpoint", "AWS_APIGW_ENDPOINT", `[a-z0-9]{10}\\.execute-api\\.${REGION}\\.`),
  {
    type: "cloudfront_domain",
    prefix: "AWS_CLOUDFRONT_DOMAIN",
    priority: 15,
    triggers: [{ chars: ".", when: String.raw`(?=cloudfront\.net)` }],
    pattern: new RegExp(`\\.cloudfront\\.net(?<=${HOST_START}(?<lead>d[a-z0-9]{12,14})\\.cloudfront\\.net)${HOST_END}`, "g"),
    leadIn: (groups) => groups.lead!.length,
  },
  awsHost("ec2_public_dns", "AWS_EC2_DNS", `ec2-\\d{1,3}-\\d{1,3}-\\d{1,3}-\\d{1,3}\\.(?:${REGION}\\.)?compute(?:-1)?\\.`),
  {
    type: "s3_bucket",
    prefix: "AWS_S3_BUCKET",
    priority: 15,
    // Starts at the "3" and reads the "s" in a lookbehind; found by the separator after it.
    triggers: [
      { chars: ":", when: "(?<=[sS]3:)", back: [1] },
      { chars: "%", when: "(?<=[sS]3%)(?=3[Aa])", back: [1] },
    ],
    pattern: new RegExp(`3(?::|%3[Aa])(?<=[sS]3(?::|%3[Aa]))(?:/|%2[Ff]|\\\\/){2}(?<value>${BUCKET})${BUCKET_END}`, "g"),
  },
  {
    type: "s3_bucket",
    prefix: "AWS_S3_BUCKET",
    priority: 15,
    // Virtual-hosted style, bucket.s3.region.amazonaws.com: only the bucket is masked.
    triggers: [AMAZONAWS],
    everyStart: true,
    pattern: new RegExp(`amazonaws\\.com(?<=${HOST_START}(?<lead>${BUCKET})(?<between>\\.s3(?:[.-]${REGION}|-website[.-]${REGION}|\\.dualstack\\.${REGION}|-accelerate)?\\.)amazonaws\\.com)`, "g"),
    leadIn: (groups) => groups.lead!.length + groups.between!.length,
    leadOnly: true,
  },
  {
    type: "s3_bucket",
    prefix: "AWS_S3_BUCKET",
    priority: 15,
    // Path style, s3.region.amazonaws.com/bucket.
    triggers: [AMAZONAWS],
    everyStart: true,
    pattern: new RegExp(`amazonaws\\.com(?<=${HOST_START}s3(?:[.-]${REGION})?\\.amazonaws\\.com)(?:\\.cn)?(?:/|\\\\/)(?<value>${BUCKET})${BUCKET_END}`, "g"),
  },
  {
    type: "kms_key_id",
    prefix: "AWS_KMS_KEY",
    priority: 14,
    triggers: [
      { chars: "-", when: "(?<=[0-9a-f]{8}-)(?=[0-9a-f]{4}-)", back: [8] },
      { chars: "-", when: "(?<=mrk-)", back: [3] },
    ],
    pattern: /(?<![0-9a-fA-F-])(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})(?![0-9a-fA-F-])/g,
    validate: (value, text, index) => value.startsWith("mrk-") || contextBefore(text, index, /(kms|keyid|key_id|key-id|kmskey|masterkey)[^\n]{0,24}$/i),
  },
  {
    type: "route53_zone_id",
    prefix: "AWS_ROUTE53_ZONE",
    priority: 14,
    // hostedzone/Z…, HostedZoneId / zone_id / zone-id: read from "zone" on.
    triggers: [ZONE],
    everyStart: true,
    // `\s*(?:[:=]\s*)?`, not `\s*[:=]?\s*`: two runs of spaces with nothing between them
    // split a long run of spaces every possible way (quadratic).
    pattern: /zone(?:(?<=hostedzone)\/|(?:_?id|-id)(?:\\?["'])?\s*(?:[:=]\s*)?(?:\\?["'])?)(?<value>Z[A-Z0-9]{8,32})(?![A-Z0-9])/gi,
    validate: (value) => !AWS_HOSTED_ZONES.has(value),
  },
  {
    type: "cloudfront_distribution_id",
    prefix: "AWS_CLOUDFRONT_DIST",
    priority: 14,
    // The boundary before the E is checked in validate: a leading lookbehind would run at every position.
    // The trigger checks it too: a match elsewhere is rejected, and nothing else can start
    // inside it (a match ends where its run of capitals and digits does).
    triggers: [{ chars: "E", when: "(?<=(?<![A-Z0-9])E)(?=[A-Z0-9]{12,13}(?![A-Z0-9]))" }],
    pattern: /E[A-Z0-9]{12,13}(?![A-Z0-9])/g,
    // A distribution word or "CDN" before it on its line, or its cloudfront.net domain just after it.
    validate: (value, text, index) =>
      !/[A-Z0-9]/.test(text.charAt(index - 1)) &&
      (contextBefore(text, index, /(distribution|cloudfront|\bcdn\b)[^\n]{0,32}$/i) || /^[^\n]{0,24}\.cloudfront\.net/.test(text.slice(index + value.length, index + value.length + 64))),
  },
  {
    type: "log_group",
    prefix: "AWS_LOG_GROUP",
    priority: 16,
    // The service part of /aws/lambda/NAME is AWS's; the name is the user's.
    pattern: new RegExp(String.raw`\/${LOG_GROUP_AFTER_SLASH}(?<value>[A-Za-z0-9_.#-]+)`, "g"),
    triggers: [{ chars: "/", when: String.raw`(?=${LOG_GROUP_AFTER_SLASH}[A-Za-z0-9_.#-])` }],
  },
];

