/**
 * Hosted zone IDs that belong to AWS itself, not to a customer: the zones of CloudFront, Global
 * Accelerator, the S3 website endpoints and the load balancers of each region. They appear in
 * every alias record (`AliasTarget.HostedZoneId`), name nothing of the user's, and are
 * published in AWS's endpoint documentation: they stay readable, like `arn:aws:iam::aws:…`.
 */
export const AWS_HOSTED_ZONES: ReadonlySet<string> = new Set([
  // CloudFront, Global Accelerator
  "Z2FDTNDATAQYW2",
  "Z2BJ6XQ5FK7U4H",
  // S3 website endpoints
  "Z3AQBSTGFYJSTF", // us-east-1
  "Z2O1EMRO9K5GLX", // us-east-2
  "Z2F56UZL2M1ACD", // us-west-1
  "Z3BJ6K6RIION7M", // us-west-2
  "Z1BKCTXD74EZPE", // eu-west-1
  "Z3GKZC51ZF0DB4", // eu-west-2
  "Z3R1K369G5AVDG", // eu-west-3
  "Z21DNDUVLTQW6Q", // eu-central-1
  "Z3O0J2DXBE1FTB", // ap-southeast-1
  "Z1WCIGYICN2BYD", // ap-southeast-2
  "Z2M4EHUR26P7ZW", // ap-northeast-1
  "Z3W03O7B5YMIYP", // ap-northeast-2
  "Z11RGJOFQNVJUP", // ap-south-1
  "Z1QDHH18159H29", // ca-central-1
  "Z7KQH4QJS55SO", // sa-east-1
  // Classic and application load balancers
  "Z35SXDOTRQ7X7K", // us-east-1
  "Z3AADJGX6KTTL2", // us-east-2
  "Z368ELLRRE2KJ0", // us-west-1
  "Z1H1FL5HABSF5", // us-west-2
  "Z32O12XQLNTSW2", // eu-west-1
  "ZHURV8PSTC4K8", // eu-west-2
  "Z215JYRZR1TBD5", // eu-central-1
  "Z1LMS91P8CMLE5", // ap-southeast-1
  "Z1GM3OXH4ZPM65", // ap-southeast-2
  "Z14GRHDCWA56QT", // ap-northeast-1
  "ZP97RAFLXTNZK", // ap-south-1
  "ZQSVJUPU6J1EY", // ca-central-1
  "Z2P70J7HTTTPLU", // sa-east-1
  // Network load balancers
  "Z26RNL4JYFTOTI", // us-east-1
  "Z18D5FSROUN65G", // us-west-2
  "Z2IFOLAFXWLO4F", // eu-west-1
  "Z3F0SRJ5LGBH90", // eu-central-1
]);
