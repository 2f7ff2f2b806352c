/**
 * Names in AWS's own error messages, as the CLI, the SDKs and stack traces print them:
 *   Stack with id payments-api does not exist        (CloudFormation)
 *   Requested resource not found: Table: ledger not found   (DynamoDB)
 *   The role with name deployer cannot be found.     (IAM, and ECR's "repository with name")
 *   Parameter /app/prod/db-password not found.       (SSM)
 *   DBInstance billing-db not found.                 (RDS)
 * The phrasings are AWS's; the name in them is the customer's. Each trigger sits on a
 * character the shared pass already stops at, so the grammar costs no new stops.
 */
import type { CatalogueEntry } from "../types.ts";

/**
 * These names are typed as the same resource inside an ARN is (`arn_iam_role`…), so an empty
 * family keeps them out of the catalogue's type list: /metrics counts them as arn_resource.
 */
const ARN_TYPED: CatalogueEntry["family"] = [];

/** A resource name: AWS's widest charset, never an ARN (those are arn.ts's). */
const NAME = String.raw`(?!arn:)[A-Za-z0-9][A-Za-z0-9_.+=@/#-]{0,255}`;
/** A name ends where the message goes on: no more name characters, and no sentence period. */
const NAME_END = String.raw`(?<![.])(?![A-Za-z0-9_+=@/#-])`;
const QUOTE = `['"]?`;

/** The kinds a "The KIND with name NAME" message names. */
const WITH_NAME_KINDS = [
  { word: "role", type: "arn_iam_role", prefix: "AWS_IAM_ROLE" },
  { word: "user", type: "arn_iam_user", prefix: "AWS_IAM_USER" },
  { word: "group", type: "arn_iam_group", prefix: "AWS_IAM_GROUP" },
  { word: "instance profile", type: "arn_iam_instance_profile", prefix: "AWS_IAM_INSTANCE_PROFILE" },
  { word: "policy", type: "arn_iam_policy", prefix: "AWS_IAM_POLICY" },
  { word: "repository", type: "arn_ecr_repository", prefix: "AWS_ECR_REPOSITORY" },
];

export const errorMessageEntries: CatalogueEntry[] = [
  {
    // CloudFormation: "Stack with id NAME does not exist", "Stack [NAME] does not exist".
    type: "arn_cloudformation_stack",
    family: ARN_TYPED,
    prefix: "AWS_CLOUDFORMATION_STACK",
    priority: 20,
    triggers: [
      { chars: "w", when: "(?<=Stack w)(?=ith id )", back: [6] },
      { chars: "[", when: String.raw`(?<=Stack \[)`, back: [6] },
    ],
    pattern: new RegExp(String.raw`Stack (?:with id |\[)(?<value>${NAME})${NAME_END}(?:\] | )does not exist`, "g"),
  },
  {
    // DynamoDB: "Requested resource not found: Table: NAME not found".
    type: "arn_dynamodb_table",
    family: ARN_TYPED,
    prefix: "AWS_DYNAMODB_TABLE",
    priority: 20,
    // Only in DynamoDB's own sentence: "Table: … not found" alone is too common in prose.
    triggers: [{ chars: ":", when: "(?<=found: Table:)(?= )", back: [5] }],
    pattern: new RegExp(String.raw`(?<=not found: )Table: (?<value>${NAME})${NAME_END} not found`, "g"),
  },
  {
    // IAM and ECR: "The role with name NAME cannot be found", "The repository with name 'NAME' does not exist".
    type: "arn_iam_role",
    prefix: "AWS_IAM_ROLE",
    priority: 20,
    triggers: [{ chars: "w", when: "(?<= w)(?=ith name )" }],
    pattern: new RegExp(
      String.raw`with(?<=(?<kind>${WITH_NAME_KINDS.map((kind) => kind.word).join("|")}) with) name ${QUOTE}(?<value>${NAME})${NAME_END}${QUOTE} (?:cannot be found|does not exist)`,
      "g",
    ),
    classify: (groups) => WITH_NAME_KINDS.find((kind) => kind.word === groups.kind),
    family: ARN_TYPED,
  },
  {
    // ECR: "… does not exist in the registry with id '123456789012'": the registry is the account.
    type: "aws_account_id",
    prefix: "AWS_ACCOUNT",
    priority: 10,
    triggers: [{ chars: "w", when: "(?<=registry w)(?=ith id )", back: [9] }],
    pattern: /registry with id '(?<value>\d{12})'/g,
  },
  {
    // SSM: "Parameter /app/prod/db-password not found."
    type: "arn_ssm_parameter",
    family: ARN_TYPED,
    prefix: "AWS_SSM_PARAMETER",
    priority: 20,
    triggers: [{ chars: "P", when: "(?=arameter )" }],
    pattern: new RegExp(String.raw`Parameter (?<value>\/?${NAME})${NAME_END} not found`, "g"),
    // A path or a name's shape: "Parameter values not found" is prose.
    validate: (value) => /^\/|[-_.0-9]/.test(value),
  },
  {
    // RDS: "DBInstance NAME not found.", "DBCluster NAME not found."
    type: "arn_rds_db",
    family: ARN_TYPED,
    prefix: "AWS_RDS_DB",
    priority: 20,
    triggers: [
      { chars: "c", when: "(?<=DBInstanc)(?=e )", back: [8] },
      { chars: "C", when: "(?<=DBC)(?=luster )", back: [2] },
    ],
    pattern: new RegExp(String.raw`DB(?:Instance|Cluster) (?<value>${NAME})${NAME_END} not found`, "g"),
  },
];
