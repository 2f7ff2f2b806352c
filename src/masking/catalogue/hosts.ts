/**
 * The grammar of a host name under one of AWS's domains, for every service, known or not:
 *   CUSTOMER-LABELS . SERVICE-AND-REGION-LABELS . DOMAIN
 * (`search-logs-4fx2.eu-west-1.es.amazonaws.com`, `abcd1234.lambda-url.us-east-1.on.aws`,
 * `d-9067a1b2c3.awsapps.com`). The service and region labels are AWS's and stay readable; the
 * labels before them name the customer's resource and are masked as one value. A host made of
 * AWS's labels only (`sqs.us-east-1.amazonaws.com`, `ecs-tasks.amazonaws.com`) is public.
 * Entries that know a service better (RDS, buckets, ECR, SQS…) win where they match: longer,
 * or the same span with a lower priority number.
 */
import { AFTER_ESCAPE } from "../boundary.ts";
import type { CatalogueEntry, Match } from "../types.ts";

/** AWS's domains, longest first where one ends another. */
const DOMAINS = ["amazonaws.com.cn", "amazonaws.com", "on.aws", "api.aws", "awsapps.com", "awsapprunner.com", "elasticbeanstalk.com", "amazoncognito.com", "amplifyapp.com"];
/** Domains under which every host names a customer's resource (no AWS API lives there). */
const CUSTOMER_DOMAINS = new Set(["on.aws", "awsapps.com", "awsapprunner.com", "elasticbeanstalk.com", "amazoncognito.com", "amplifyapp.com"]);

/**
 * Services whose host names always carry the customer's resource before them: a label left of
 * one of these is the customer's, whatever it looks like.
 */
const CUSTOMER_PREFIXED = new Set([
  "s3", "s3-website", "s3-accesspoint", "s3-control", "execute-api", "es", "aoss", "kafka", "kafka-serverless", "docdb", "rds", "neptune", "cache",
  "elb", "redshift", "redshift-serverless", "mq", "iot", "appsync-api", "appsync-realtime-api", "efs", "fsx", "codeartifact", "lambda-url", "dkr",
  "vpce", "eks", "auth", "airflow", "emr-serverless", "dax", "memorydb", "timestream", "aps-workspaces", "grafana-workspace", "transfer", "kinesisvideo",
]);

/** Labels of AWS's own: service endpoints, principals and the words around them. */
const AWS_LABELS = new Set([
  ...CUSTOMER_PREFIXED,
  "sqs", "sns", "sts", "iam", "ec2", "ecs", "ecs-tasks", "ecr", "api", "lambda", "logs", "monitoring", "events", "dynamodb", "streams", "kms",
  "secretsmanager", "ssm", "ssmmessages", "ec2messages", "cloudformation", "cloudtrail", "config", "elasticloadbalancing", "autoscaling",
  "application-autoscaling", "elasticache", "elasticbeanstalk", "elasticfilesystem", "glue", "athena", "states", "sagemaker", "runtime", "bedrock",
  "bedrock-runtime", "bedrock-agent", "bedrock-agent-runtime", "kinesis", "firehose", "route53", "route53resolver", "cloudfront", "acm", "acm-pca",
  "apigateway", "appsync", "codebuild", "codecommit", "codedeploy", "codepipeline", "git-codecommit", "cognito-idp", "cognito-identity",
  "organizations", "sso", "oidc", "portal", "identitystore", "backup", "batch", "datasync", "dms", "ds", "guardduty", "inspector2", "securityhub",
  "macie2", "shield", "waf", "wafv2", "xray", "servicediscovery", "servicecatalog", "support", "tagging", "pricing", "ce", "budgets", "health",
  "account", "signin", "console", "health", "translate", "comprehend", "textract", "rekognition", "polly", "transcribe", "lex", "personalize",
  "forecast", "kendra", "quicksight", "lakeformation", "emr", "elasticmapreduce", "mediaconvert", "ivs", "chime", "connect", "pinpoint", "ses",
  "email", "email-smtp", "workspaces", "appstream2", "apprunner", "amplify", "location", "geo", "iotevents", "greengrass", "storagegateway",
  "snowball", "outposts", "ram", "license-manager", "compute-optimizer", "resource-groups", "access-analyzer", "scheduler", "pipes", "schemas",
  "oam", "synthetics", "rum", "evidently", "aps", "grafana", "ecr-public", "public", "fips", "dualstack", "data", "d", "portal", "ingest",
  "control", "api-fips", "vpc-lattice", "network-firewall", "directconnect", "globalaccelerator", "opsworks", "qldb", "cassandra", "keyspaces",
  "cloudhsmv2", "cloudsearch", "swf", "sdb", "importexport", "metering", "marketplace", "oidc-provider", "eks-auth", "pods", "container",
  "website", "accesspoint", "queue", "awsapps", "lambda-url", "on", "start", "notebook", "studio", "labeling", "ap", "execute", "wss",
]);

/** A region label (`us-east-1`, `us-gov-west-1`, `cn-north-1`), or its short form (`use1`). */
const REGION_LABEL = /^(?:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d|[a-z]{2,3}[ewnsc]{1,2}\d)$/;

const isAwsLabel = (label: string) => AWS_LABELS.has(label.toLowerCase()) || REGION_LABEL.test(label.toLowerCase());

/** The customer's labels of a host (`lead` = everything before the domain), or undefined. */
export function customerLabels(lead: string, domain: string): string | undefined {
  const labels = lead.split(".");
  // From the domain leftwards: AWS's labels, until the first that is not.
  let end = labels.length;
  let prefixed = CUSTOMER_DOMAINS.has(domain);
  while (end > 0 && isAwsLabel(labels[end - 1]!)) {
    if (CUSTOMER_PREFIXED.has(labels[end - 1]!.toLowerCase())) prefixed = true;
    end--;
  }
  if (end === 0) return undefined; // AWS's labels only: a public endpoint or a principal
  const customer = labels.slice(0, end);
  // Without a service that always carries a customer prefix, a lone word before AWS's labels
  // is far more often a service this list lacks (`newservice.us-east-1.amazonaws.com`) than a
  // customer: a customer's label carries an ID, with a digit, or there are several.
  if (!prefixed && customer.length === 1 && !/[0-9]/.test(customer[0]!)) return undefined;
  return customer.join(".");
}

const DOMAIN_SOURCE = DOMAINS.map((d) => d.replace(/\./g, "\\.")).join("|");
/** The host's labels before the domain, at most 253 characters, read back from the domain. */
const LEAD = String.raw`(?<lead>[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.){0,8}[A-Za-z0-9-]{0,62}[A-Za-z0-9])`;

export const hostEntries: CatalogueEntry[] = [
  {
    type: "aws_host",
    prefix: "AWS_HOST",
    priority: 18,
    // The `.` before the domain; the labels before it are read back in a lookbehind.
    triggers: [{ chars: ".", when: `(?<=[A-Za-z0-9]\\.)(?=(?:${DOMAIN_SOURCE})(?![A-Za-z0-9-]|\\.[A-Za-z0-9]))` }],
    everyStart: true,
    pattern: new RegExp(`\\.(?<domain>${DOMAIN_SOURCE})(?![A-Za-z0-9-]|\\.[A-Za-z0-9])(?<=(?:(?<![A-Za-z0-9.%-])|${AFTER_ESCAPE})${LEAD}\\.(?:${DOMAIN_SOURCE}))`, "g"),
    leadIn: (groups) => groups.lead!.length,
    expand: (_value, index, groups): Match[] | undefined => {
      const customer = customerLabels(groups.lead!, groups.domain!);
      if (!customer) return undefined;
      // An account number at the end of the customer's name (CodeArtifact's `DOMAIN-ACCOUNT`) is
      // the same AWS_ACCOUNT as anywhere else.
      const account = /^(.*[^0-9])-(\d{12})$/.exec(customer);
      if (account) {
        const nameEnd = index + account[1]!.length;
        return [
          { start: index, end: nameEnd, type: "aws_host", prefix: "AWS_HOST", priority: 18 },
          { start: nameEnd + 1, end: nameEnd + 13, type: "aws_account_id", prefix: "AWS_ACCOUNT", priority: 12 },
        ];
      }
      return [{ start: index, end: index + customer.length, type: "aws_host", prefix: "AWS_HOST", priority: 18 }];
    },
  },
];
