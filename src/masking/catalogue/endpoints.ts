/** AWS host names and name-like identifiers that only context makes recognisable. */
import { contextBefore, type CatalogueEntry } from "../types.ts";

/** Not inside a longer host name; a URL escape (`%2F`) before it counts as a boundary. */
const HOST_START = "(?:(?<![A-Za-z0-9.-])|(?<=%[0-9A-Fa-f]{2}))";
const HOST_END = "(?![A-Za-z0-9.-]*[A-Za-z0-9])";
const REGION = "[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d";
const BUCKET = "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]";

/**
 * A host name `before + literal + after`. The regex starts at the literal (`.rds.amazonaws.com`),
 * which the engine finds fast, and reads the part before it in a lookbehind (see leadIn).
 */
const host = (type: string, prefix: string, hint: string, before: string, literal: string, after = ""): CatalogueEntry => ({
  type,
  prefix,
  priority: 15,
  hints: [hint],
  pattern: new RegExp(`${literal}(?<=${HOST_START}(?<lead>${before})${literal})${after}(?:\\.cn)?${HOST_END}`, "g"),
  leadIn: (groups) => groups.lead!.length,
});

export const endpointEntries: CatalogueEntry[] = [
  host("rds_endpoint", "AWS_RDS_ENDPOINT", ".rds.amazonaws.com", `[a-z0-9][a-z0-9-]*\\.(?:cluster-(?:ro-|custom-)?|proxy-)?[a-z0-9]+\\.${REGION}`, "\\.rds\\.amazonaws\\.com"),
  host("elasticache_endpoint", "AWS_ELASTICACHE_ENDPOINT", ".cache.amazonaws.com", `[a-z0-9][a-z0-9-]*(?:\\.[a-z0-9-]+){1,4}`, "\\.cache\\.amazonaws\\.com"),
  host("redshift_endpoint", "AWS_REDSHIFT_ENDPOINT", ".redshift", `[a-z0-9][a-z0-9-]*(?:\\.[a-z0-9-]+)?\\.${REGION}`, "\\.redshift", "(?:-serverless)?\\.amazonaws\\.com"),
  host("eks_endpoint", "AWS_EKS_ENDPOINT", ".eks.amazonaws.com", `[A-Za-z0-9]{16,64}\\.[a-z0-9]{2,4}\\.${REGION}`, "\\.eks\\.amazonaws\\.com"),
  host("elb_endpoint", "AWS_ELB_ENDPOINT", ".elb.", `(?:internal-|dualstack\\.)?[A-Za-z0-9][A-Za-z0-9-]*-\\d{6,12}\\.${REGION}`, "\\.elb\\.", "amazonaws\\.com"),
  host("nlb_endpoint", "AWS_ELB_ENDPOINT", ".elb.", `[A-Za-z0-9][A-Za-z0-9-]*-[0-9a-f]{16}`, "\\.elb\\.", `${REGION}\\.amazonaws\\.com`),
  host("api_gateway_endpoint", "AWS_APIGW_ENDPOINT", ".execute-api.", "[a-z0-9]{10}", "\\.execute-api\\.", `${REGION}\\.amazonaws\\.com`),
  host("cloudfront_domain", "AWS_CLOUDFRONT_DOMAIN", ".cloudfront.net", "d[a-z0-9]{12,14}", "\\.cloudfront\\.net"),
  host("ec2_public_dns", "AWS_EC2_DNS", "ec2-", "", "ec2-", `\\d{1,3}-\\d{1,3}-\\d{1,3}-\\d{1,3}\\.(?:${REGION}\\.)?compute(?:-1)?\\.amazonaws\\.com`),
  {
    type: "s3_bucket",
    prefix: "AWS_S3_BUCKET",
    priority: 15,
    hints: ["s3:", "s3%3", "S3:"],
    pattern: new RegExp(`(?:s3|S3)(?::|%3[Aa])(?:/|%2[Ff]|\\\\/){2}(?<value>${BUCKET})(?![a-z0-9.-]*[a-z0-9])`, "g"),
  },
  {
    type: "s3_bucket",
    prefix: "AWS_S3_BUCKET",
    priority: 15,
    hints: [".s3"],
    // Starts at ".s3" (fast to find) and reads the bucket in a lookbehind; only the bucket is masked.
    pattern: new RegExp(`\\.s3(?<=${HOST_START}(?<lead>${BUCKET})\\.s3)(?=(?:[.-]${REGION}|-website[.-]${REGION}|\\.dualstack\\.${REGION}|-accelerate)?\\.amazonaws\\.com)`, "g"),
    leadIn: (groups) => groups.lead!.length,
    leadOnly: true,
  },
  {
    type: "s3_bucket",
    prefix: "AWS_S3_BUCKET",
    priority: 15,
    hints: ["s3.amazonaws.com/", "amazonaws.com/"],
    pattern: new RegExp(`${HOST_START}s3(?:[.-]${REGION})?\\.amazonaws\\.com(?:\\.cn)?(?:/|\\\\/)(?<value>${BUCKET})(?![a-z0-9.-]*[a-z0-9])`, "g"),
  },
  {
    type: "s3_bucket",
    prefix: "AWS_S3_BUCKET",
    priority: 15,
    hints: ["ucket"],
    // "Bucket": "name" in JSON/CLI output, `--bucket name`, `bucket = "name"` in Terraform.
    pattern: new RegExp(`(?:\\\\?"(?:Bucket|BucketName|bucket|bucket_name)\\\\?"\\s*:\\s*\\\\?"|--bucket(?:-name)?[ =]|\\bbucket(?:_name)?\\s*=\\s*")(?<value>${BUCKET})(?![a-z0-9.-]*[a-z0-9])`, "g"),
  },
  {
    type: "kms_key_id",
    prefix: "AWS_KMS_KEY",
    priority: 14,
    pattern: /(?<![0-9a-fA-F-])(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})(?![0-9a-fA-F-])/g,
    validate: (value, text, index) => value.startsWith("mrk-") || contextBefore(text, index, /(kms|keyid|key_id|key-id|kmskey|masterkey)[^\n]{0,24}$/i),
  },
  {
    type: "route53_zone_id",
    prefix: "AWS_ROUTE53_ZONE",
    priority: 14,
    hints: ["hostedzone", "HostedZone", "ZoneId", "zone_id", "zone-id"],
    pattern: /(?:hostedzone\/|(?:hosted_?zone_?id|zone_?id|zone-id)(?:\\?["'])?\s*[:=]?\s*(?:\\?["'])?)(?<value>Z[A-Z0-9]{8,32})(?![A-Z0-9])/gi,
  },
  {
    type: "cloudfront_distribution_id",
    prefix: "AWS_CLOUDFRONT_DIST",
    priority: 14,
    pattern: /(?<![A-Z0-9])E[A-Z0-9]{12,13}(?![A-Z0-9])/g,
    validate: (_value, text, index) => contextBefore(text, index, /(distribution|cloudfront)[^\n]{0,32}$/i),
  },
  {
    type: "log_group",
    prefix: "AWS_LOG_GROUP",
    priority: 16,
    hints: ["/aws/"],
    // The service part of /aws/lambda/NAME is AWS's; the name is the user's.
    pattern: /(?<![A-Za-z0-9_])\/aws\/(?:lambda|ecs|eks|rds\/instance|rds\/cluster|apigateway|codebuild|vendedlogs|kinesisfirehose|batch|sagemaker\/[A-Za-z]+|states)\/(?<value>[A-Za-z0-9_.#-]+)/g,
  },
];

