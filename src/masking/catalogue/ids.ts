/**
 * IDs of AWS resources outside EC2 that have a shape of their own: Cognito user pools
 * (`us-east-1_AbCdEf123`) and identity pools (`us-east-1:UUID`), Organizations and their
 * organizational units (`o-…`, `ou-…-…`), RDS resource IDs (`db-…`, `cluster-…`), EKS OIDC
 * issuer IDs, and a load balancer's `app/NAME/ID` (ALB and NLB access logs, metrics dimensions).
 */
import { AFTER_ESCAPE } from "../boundary.ts";
import type { CatalogueEntry } from "../types.ts";
import { AMAZONAWS } from "./triggers.ts";

const REGION = "[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d";
const START = `(?:(?<![A-Za-z0-9_-])|${AFTER_ESCAPE})`;
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

export const idEntries: CatalogueEntry[] = [
  {
    type: "cognito_user_pool_id",
    prefix: "AWS_COGNITO_USER_POOL",
    priority: 14,
    // At the `_` after the region; the region is read back (leadIn).
    triggers: [{ chars: "_", when: "(?<=\\d_)(?=[A-Za-z0-9]{9}(?![A-Za-z0-9_]))" }],
    pattern: new RegExp(`_(?<=${START}(?<lead>${REGION})_)[A-Za-z0-9]{9}(?![A-Za-z0-9_])`, "g"),
    leadIn: (groups) => groups.lead!.length,
    // Nine characters of one kind are a word glued to a region, not a pool's random ID.
    validate: (value) => /[0-9]/.test(value.slice(-9)) || (/[a-z]/.test(value.slice(-9)) && /[A-Z]/.test(value.slice(-9))),
  },
  {
    type: "cognito_identity_pool_id",
    prefix: "AWS_COGNITO_IDENTITY_POOL",
    priority: 13,
    triggers: [{ chars: ":", when: `(?<=\\d:)(?=${UUID}(?![0-9a-f-]))` }],
    pattern: new RegExp(`:(?<=${START}(?<lead>${REGION}):)${UUID}(?![0-9a-f-])`, "g"),
    leadIn: (groups) => groups.lead!.length,
  },
  {
    type: "organizations_id",
    prefix: "AWS_ORGANIZATION",
    priority: 14,
    triggers: [
      { chars: "-", when: `(?<=${START}o-)(?=[a-z0-9]{10,32}(?![A-Za-z0-9_-]))`, back: [1] },
      { chars: "-", when: `(?<=${START}ou-)(?=[a-z0-9]{4,32}-[a-z0-9]{8,32}(?![A-Za-z0-9_-]))`, back: [2] },
    ],
    pattern: new RegExp(`o(?<=${START}o)(?:-[a-z0-9]{10,32}|u-[a-z0-9]{4,32}-[a-z0-9]{8,32})(?![A-Za-z0-9_-])`, "g"),
    // An ID is random: it holds a digit (`o-exampleorgid` is a word).
    validate: (value) => /[0-9]/.test(value),
    classify: (_groups, matched) => (matched.startsWith("ou-") ? { type: "organizations_ou_id", prefix: "AWS_ORGANIZATION_OU" } : { type: "organizations_id", prefix: "AWS_ORGANIZATION" }),
    family: [
      { type: "organizations_id", prefix: "AWS_ORGANIZATION" },
      { type: "organizations_ou_id", prefix: "AWS_ORGANIZATION_OU" },
    ],
  },
  {
    type: "rds_resource_id",
    prefix: "AWS_RDS_RESOURCE_ID",
    priority: 14,
    triggers: [
      { chars: "-", when: `(?<=${START}db-)(?=[A-Z0-9]{26}(?![A-Za-z0-9_-]))`, back: [2] },
      { chars: "-", when: `(?<=${START}cluster-)(?=[A-Z0-9]{26}(?![A-Za-z0-9_-]))`, back: [7] },
    ],
    pattern: new RegExp(`(?:db|cluster)-(?<=${START}(?:db|cluster)-)[A-Z0-9]{26}(?![A-Za-z0-9_-])`, "g"),
    // Random: digits and capitals both.
    validate: (value) => /[0-9]/.test(value.slice(-26)) && /[A-Z]/.test(value.slice(-26)),
  },
  {
    // oidc.eks.REGION.amazonaws.com/id/ISSUER_ID (IRSA trust policies, kubeconfig, eksctl).
    type: "eks_oidc_issuer_id",
    prefix: "AWS_EKS_OIDC_ID",
    priority: 14,
    triggers: [AMAZONAWS],
    everyStart: true,
    pattern: new RegExp(`amazonaws\\.com(?<=oidc\\.eks\\.${REGION}\\.amazonaws\\.com)(?:\\/|%2[Ff]|\\\\\\/)id(?:\\/|%2[Ff]|\\\\\\/)(?<value>[0-9A-F]{32})(?![0-9A-Za-z])`, "g"),
  },
  {
    // A load balancer's own part of its ARN, alone: `app/NAME/ID`, `net/NAME/ID`.
    type: "elb_name",
    prefix: "AWS_ELB_NAME",
    priority: 16,
    triggers: [{ chars: "/", when: String.raw`(?<=(?<![A-Za-z0-9/_-])(?:app|net|gwy)\/)(?=[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}(?![A-Za-z0-9\/]))` }],
    pattern: /\/(?<=(?<![A-Za-z0-9/_-])(?:app|net|gwy)\/)(?<value>[A-Za-z0-9-]{1,32}\/[0-9a-f]{16})(?![A-Za-z0-9/])/g,
  },
];
