/**
 * The catalogue, type by type: realistic surroundings (JSON, YAML, logs, code, aws CLI output)
 * with the exact masked output, and look-alikes that must stay as they are. Each case masks in
 * a fresh tenant of a real SQLite store, so numbering starts at 001.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { Masker } from "../../src/masking/masker.ts";
import { openStore } from "../../src/store/index.ts";
import { tempDir } from "../helpers/proxy-process.ts";

const store = await openStore({ url: `sqlite://${tempDir()}/m.db`, secret: "s".repeat(32), ttlMs: 3_600_000 });
const masker = new Masker(store, { arnMode: "parts" });
const wholeArns = new Masker(store, { arnMode: "whole" });
afterAll(() => store.close());

let tenantCounter = 0;
async function mask(text: string, using = masker): Promise<string> {
  const tenant = `case-${++tenantCounter}`;
  const { masked } = await using.maskTexts(tenant, [text]);
  // Every case also round-trips.
  expect((await using.unmaskTexts(tenant, masked)).texts[0]).toBe(text);
  return masked[0]!;
}

type Table = [type: string, positives: [input: string, output: string][], negatives: string[]][];

const TABLE: Table = [
  [
    "ec2_instance",
    [
      ['{"InstanceId": "i-0a1b2c3d4e5f67890", "State": {"Name": "running"}}', '{"InstanceId": "AWS_EC2_001", "State": {"Name": "running"}}'],
      ["2024-05-01T10:00:00Z ERROR health check failed for i-12345678 (retry 3)", "2024-05-01T10:00:00Z ERROR health check failed for AWS_EC2_001 (retry 3)"],
      ['instance_id = "i-1234567890abcdef0"\n', 'instance_id = "AWS_EC2_001"\n'],
      ["인스턴스 i-0a1b2c3d4e5f67890의 상태", "인스턴스 AWS_EC2_001의 상태"],
    ],
    ["semi-deadbeef is fine", "i-0a1b2c3d4e5f678901234 is too long", "xi-12345678", "i-1234567 is too short", "i-g2345678"],
  ],
  [
    "vpc / subnet / sg",
    [
      ["VpcId: vpc-0a1b2c3d4e5f67890\nSubnetId: subnet-0123abcd", "VpcId: AWS_VPC_001\nSubnetId: AWS_SUBNET_001"],
      ['{"GroupId": "sg-0123456789abcdef0", "VpcId": "vpc-12345678"}', '{"GroupId": "AWS_SG_001", "VpcId": "AWS_VPC_001"}'],
      ["aws ec2 authorize-security-group-ingress --group-id sg-deadbeef --port 443", "aws ec2 authorize-security-group-ingress --group-id AWS_SG_001 --port 443"],
    ],
    ["vpc-0a1b2c3d4e5f6789 has 16 hex", "the vpc-peering doc", "subnet-mask 255.255.255.0"],
  ],
  [
    "other EC2 resources",
    [
      ["ami-0abcdef1234567890 vol-0123456789abcdef0 snap-0123456789abcdef0", "AWS_AMI_001 AWS_EBS_VOLUME_001 AWS_EBS_SNAPSHOT_001"],
      ["igw-0123abcd nat-0a1b2c3d4e5f67890 tgw-0123456789abcdef0 tgw-attach-0123456789abcdef0", "AWS_IGW_001 AWS_NAT_GW_001 AWS_TGW_001 AWS_TGW_ATTACHMENT_001"],
      ['"NetworkInterfaceId": "eni-0a1b2c3d", "AllocationId": "eipalloc-0123456789abcdef0", "FileSystemId": "fs-0123abcd"', '"NetworkInterfaceId": "AWS_ENI_001", "AllocationId": "AWS_EIP_ALLOC_001", "FileSystemId": "AWS_EFS_001"'],
      ["rtb-0123abcd acl-0123abcd vpce-0123456789abcdef0 pcx-0123abcd vpn-0123abcd cgw-0123abcd", "AWS_ROUTE_TABLE_001 AWS_NACL_001 AWS_VPC_ENDPOINT_001 AWS_VPC_PEERING_001 AWS_VPN_001 AWS_CGW_001"],
    ],
    ["key-12345678 is not a key pair id", "r-abc", "my-snap-shot"],
  ],
  [
    "ARN by parts",
    [
      ['"Arn": "arn:aws:iam::123456789012:role/service-role/deploy-prod"', '"Arn": "arn:aws:iam::AWS_ACCOUNT_001:role/service-role/AWS_IAM_ROLE_001"'],
      ['Resource: "arn:aws:s3:::my-data-bucket/*"', 'Resource: "arn:aws:s3:::AWS_S3_BUCKET_001/*"'],
      ["FunctionArn arn:aws-cn:lambda:cn-north-1:012345678901:function:ingest:prod", "FunctionArn arn:aws-cn:lambda:cn-north-1:AWS_ACCOUNT_001:function:AWS_LAMBDA_FUNCTION_001:prod"],
      ["arn:aws-us-gov:sqs:us-gov-west-1:123456789012:orders-queue.", "arn:aws-us-gov:sqs:us-gov-west-1:AWS_ACCOUNT_001:AWS_SQS_RESOURCE_001."],
      ["key arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", "key arn:aws:kms:us-east-1:AWS_ACCOUNT_001:key/AWS_KMS_KEY_001"],
      // Multi-segment resources: the type keywords stay, the rest is one value.
      ['StackId: "arn:aws:cloudformation:eu-west-2:168329156471:stack/CheckoutAudit/73cfb7fa-fb1f-4d68-b1ff-fca29ed4f1a6"', 'StackId: "arn:aws:cloudformation:eu-west-2:AWS_ACCOUNT_001:stack/AWS_CLOUDFORMATION_STACK_001"'],
      ["lb arn:aws:elasticloadbalancing:ap-south-1:925158438852:loadbalancer/net/training-worker/930d50def781c228 is unhealthy", "lb arn:aws:elasticloadbalancing:ap-south-1:AWS_ACCOUNT_001:loadbalancer/net/AWS_ELASTICLOADBALANCING_LOADBALANCER_001 is unhealthy"],
      ['"Arn": "arn:aws:sts::168329156471:assumed-role/Deployer/botocore-session-17"', '"Arn": "arn:aws:sts::AWS_ACCOUNT_001:assumed-role/AWS_STS_ROLE_001/AWS_STS_SESSION_001"'],
      ["arn:aws:logs:eu-central-1:117739765925:log-group:/aws/lambda/mailer-w7idn:*", "arn:aws:logs:eu-central-1:AWS_ACCOUNT_001:log-group:/aws/lambda/AWS_LOGS_LOG_GROUP_001:*"],
      ["arn:aws:execute-api:eu-north-1:786358215612:oscbemq1xs/*/GET/ledger", "arn:aws:execute-api:eu-north-1:AWS_ACCOUNT_001:AWS_EXECUTE_API_API_001/*/GET/AWS_EXECUTE_API_PATH_001"],
      ["arn:aws:batch:ap-south-1:925158438852:job-definition/backup-session:18", "arn:aws:batch:ap-south-1:AWS_ACCOUNT_001:job-definition/AWS_BATCH_JOB_DEFINITION_001:18"],
      // The account's root and wildcards around sub-resource keywords are policy syntax.
      ['"AWS": "arn:aws:iam::476533519318:root", "Resource": "arn:aws:dynamodb:us-east-1:879957180215:table/*/index/*"', '"AWS": "arn:aws:iam::AWS_ACCOUNT_001:root", "Resource": "arn:aws:dynamodb:us-east-1:AWS_ACCOUNT_002:table/*/index/*"'],
      // An unknown service still gets its account and resource masked.
      ["arn:aws:newsvc:us-east-1:799394764084:widget/abc-def/xyz", "arn:aws:newsvc:us-east-1:AWS_ACCOUNT_001:widget/AWS_NEWSVC_WIDGET_001"],
      // A CSV column (an IAM credential report, a Cost and Usage Report row): the comma ends the ARN.
      ["deploy-bot,arn:aws:iam::730335218842:user/ci/deploy-bot,2023-04-02T10:11:12+00:00,false", "deploy-bot,arn:aws:iam::AWS_ACCOUNT_001:user/AWS_IAM_USER_001,2023-04-02T10:11:12+00:00,false"],
    ],
    ["arn:aws:iam::aws:policy/AdministratorAccess", "see the arn: prefix", "arn:aws:s3:::*", "arn:aws:ssm:us-east-1::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", "arn:aws:lambda:eu-central-1::runtime:cfc9e7a33e6079a6768e4bdac7f9d9557e43435ad6c4405f7ae3d58d62fdc750"],
  ],
  [
    "account IDs in context",
    [
      ['{"Account": "012345678901", "UserId": "AIDAJQABLZS4A3QDU576Q"}', '{"Account": "AWS_ACCOUNT_001", "UserId": "AWS_USER_ID_001"}'],
      ["OwnerId: 123456789012", "OwnerId: AWS_ACCOUNT_001"],
      ["운영 계정 123456789012 에서 발생", "운영 계정 AWS_ACCOUNT_001 에서 발생"],
      ["aws_account_id = 123456789012", "aws_account_id = AWS_ACCOUNT_001"],
      // A VPC flow log record: version, account, interface (or "-").
      ["2 123456789012 eni-0a1b2c3d4e5f67890 10.0.1.5 10.0.2.6 443 49152 6 10 840 1620000000 1620000060 ACCEPT OK\n5 210987654321 - - - - - - - 1620000000 1620000060 - NODATA", "2 AWS_ACCOUNT_001 AWS_ENI_001 10.0.1.5 10.0.2.6 443 49152 6 10 840 1620000000 1620000060 ACCEPT OK\n5 AWS_ACCOUNT_002 - - - - - - - 1620000000 1620000060 - NODATA"],
    ],
    ["order 123456789012 shipped", "call +1 212345678901", "timestamp 1714557600123", "12345678901234", "order 2 123456789012 items", "12 123456789012 - x"],
  ],
  [
    "credentials",
    [
      ["AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AWS_ACCESS_KEY_ID=AWS_ACCESS_KEY_001\nAWS_SECRET_ACCESS_KEY=AWS_SECRET_KEY_001"],
      ['{"AccessKeyId": "ASIAY34FZKBOKMUTVV7A", "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}', '{"AccessKeyId": "AWS_ACCESS_KEY_001", "SecretAccessKey": "AWS_SECRET_KEY_001"}'],
      ["aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY --profile prod", "aws configure set aws_secret_access_key AWS_SECRET_KEY_001 --profile prod"],
      ["aws_session_token = IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD6EXAMPLEtokenTOKENtokenTOKEN1234567890abcdefgh==", "aws_session_token = AWS_SESSION_TOKEN_001"],
    ],
    ["AKIA is a prefix", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY without a name", "sha1 3f786850e387550fdab836ed7e6dc881de23001b"],
  ],
  [
    "endpoints and buckets",
    [
      ["host: mydb.c9akciq32.us-east-1.rds.amazonaws.com:5432", "host: AWS_RDS_ENDPOINT_001:5432"],
      ["aws s3 cp s3://acme-prod-logs/2024/ . && curl https://acme-assets.s3.us-west-2.amazonaws.com/logo.png", "aws s3 cp s3://AWS_S3_BUCKET_001/2024/ . && curl https://AWS_S3_BUCKET_002.s3.us-west-2.amazonaws.com/logo.png"],
      ['{"Bucket": "team-backups", "Key": "db.sql"}', '{"Bucket": "AWS_S3_BUCKET_001", "Key": "db.sql"}'],
      ["https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod and d111111abcdef8.cloudfront.net", "https://AWS_APIGW_ENDPOINT_001/prod and AWS_CLOUDFRONT_DOMAIN_001"],
      ["docker pull 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.2", "docker pull AWS_ACCOUNT_001.dkr.ecr.us-east-1.amazonaws.com/AWS_ECR_REPOSITORY_001:1.2"],
      // The whole repository path is one value; the tag or digest, and a sentence's full stop, stay.
      [
        '"image": "168329156471.dkr.ecr.eu-west-2.amazonaws.com/ml/identity-svc@sha256:0a1b", then push to 168329156471.dkr.ecr.eu-west-2.amazonaws.com/ml/identity-svc.',
        '"image": "AWS_ACCOUNT_001.dkr.ecr.eu-west-2.amazonaws.com/AWS_ECR_REPOSITORY_001@sha256:0a1b", then push to AWS_ACCOUNT_001.dkr.ecr.eu-west-2.amazonaws.com/AWS_ECR_REPOSITORY_001.',
      ],
      ["ssh ec2-54-12-34-56.compute-1.amazonaws.com", "ssh AWS_EC2_DNS_001"],
      // SQS queue URLs: the host stays, the account is the same AWS_ACCOUNT as in an ARN, the queue is one value.
      [
        "QueueUrl: https://sqs.us-east-2.amazonaws.com/494402453837/orders-dlq.fifo. Also arn:aws:sqs:us-east-2:494402453837:orders-dlq.fifo",
        "QueueUrl: https://sqs.us-east-2.amazonaws.com/AWS_ACCOUNT_001/AWS_SQS_QUEUE_001. Also arn:aws:sqs:us-east-2:AWS_ACCOUNT_001:AWS_SQS_QUEUE_001",
      ],
      ['{"QueueUrl": "https://us-west-1.queue.amazonaws.com/123456789012/billing_jobs"}', '{"QueueUrl": "https://us-west-1.queue.amazonaws.com/AWS_ACCOUNT_001/AWS_SQS_QUEUE_001"}'],
      ["url=https%3A%2F%2Fsqs.eu-west-1.amazonaws.com%2F123456789012%2Fjobs&x=1", "url=https%3A%2F%2Fsqs.eu-west-1.amazonaws.com%2FAWS_ACCOUNT_001%2FAWS_SQS_QUEUE_001&x=1"],
      ["https://queue.amazonaws.com/123456789012/legacy-q", "https://queue.amazonaws.com/AWS_ACCOUNT_001/AWS_SQS_QUEUE_001"],
      // JSON inside JSON: the path's `/` escaped twice.
      ['{\\"queue\\":\\"https:\\\\/\\\\/sqs.us-east-1.amazonaws.com\\\\/851776149028\\\\/importer-eecd\\"}', '{\\"queue\\":\\"https:\\\\/\\\\/sqs.us-east-1.amazonaws.com\\\\/AWS_ACCOUNT_001\\\\/AWS_SQS_QUEUE_001\\"}'],
      // Any host under AWS's domains: AWS's labels stay, the customer's are one value.
      ["curl https://search-logs-4fx2abc9.eu-west-1.es.amazonaws.com/_search", "curl https://AWS_HOST_001.eu-west-1.es.amazonaws.com/_search"],
      ["https://abcd1234efgh5678.lambda-url.us-east-1.on.aws/ and https://d-9067a1b2c3.awsapps.com/start", "https://AWS_HOST_001.lambda-url.us-east-1.on.aws/ and https://AWS_HOST_002.awsapps.com/start"],
      ["pip config set global.index-url https://acme-123456789012.d.codeartifact.us-east-1.amazonaws.com/pypi/py/simple/", "pip config set global.index-url https://AWS_HOST_001-AWS_ACCOUNT_001.d.codeartifact.us-east-1.amazonaws.com/pypi/py/simple/"],
      ["UserPoolId: us-east-1_AbCdEf123, IdentityPoolId: us-east-1:0a1b2c3d-1234-5678-9abc-def012345678", "UserPoolId: AWS_COGNITO_USER_POOL_001, IdentityPoolId: AWS_COGNITO_IDENTITY_POOL_001"],
      ['"DbiResourceId": "db-ABCDEFGHIJKL01234567890123", "Issuer": "https://oidc.eks.us-east-1.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9"', '"DbiResourceId": "AWS_RDS_RESOURCE_ID_001", "Issuer": "https://oidc.eks.us-east-1.amazonaws.com/id/AWS_EKS_OIDC_ID_001"'],
      ["h2 2024-05-01T10:00:00Z app/web-prod-alb/50dc6c495c0c9188 10.0.0.1:443", "h2 2024-05-01T10:00:00Z app/AWS_ELB_NAME_001 10.0.0.1:443"],
      ['"Id": "o-a1b2c3d4e5", "ParentId": "ou-ab12-cd34ef56"', '"Id": "AWS_ORGANIZATION_001", "ParentId": "AWS_ORGANIZATION_OU_001"'],
      ["| CDN | E56Y6L647UT83 / d0siikgvarma9v.cloudfront.net |", "| CDN | AWS_CLOUDFRONT_DIST_001 / AWS_CLOUDFRONT_DOMAIN_001 |"],
      ['"logGroup": "/ecs/etl-api", "awslogs-group": "/aws/lambda/mailer-w7"', '"logGroup": "AWS_LOG_GROUP_001", "awslogs-group": "/aws/lambda/AWS_LOG_GROUP_002"'],
    ],
    ["the bucket list", "mydb_backup", "logs/cluster-autoscaler", "dbconnection pool", "https://sqs.us-east-1.amazonaws.com/ and /1234567890123/q", "mysqs.us-east-1.amazonaws.com/123456789012/q", "log_group = aws_cloudwatch_log_group.app.name",
      "endpoints sqs.us-east-1.amazonaws.com, s3.amazonaws.com, bedrock-runtime.us-west-2.amazonaws.com and the principal ecs-tasks.amazonaws.com",
      "o-exampleorgid us-east-1_abcdefghi",
      // AWS's own hosted zones (alias targets) name nothing of the user's.
      '"AliasTarget": {"HostedZoneId": "Z2FDTNDATAQYW2", "DNSName": "d111.cloudfront.net"}', "hosted_zone_id = Z35SXDOTRQ7X7K"],
  ],
  [
    "field names",
    [
      ['s3.get_object(Bucket="acme-prod-uploads", Key="a.csv")', 's3.get_object(Bucket="AWS_S3_BUCKET_001", Key="a.csv")'],
      ['\t\tBucket: aws.String("marlin-ingest-ffzjmu"),', '\t\tBucket: aws.String("AWS_S3_BUCKET_001"),'],
      ["export S3_BUCKET=umbrella-prod-telemetry\n  LOGS_BUCKET: export.bluefin-dev.bni8h6ad", "export S3_BUCKET=AWS_S3_BUCKET_001\n  LOGS_BUCKET: AWS_S3_BUCKET_002"],
      ['{"BucketName": "acme-logs"} aws s3api get-bucket-policy --bucket acme-data-1', '{"BucketName": "AWS_S3_BUCKET_001"} aws s3api get-bucket-policy --bucket AWS_S3_BUCKET_002'],
      ["ArtifactStore:\n  Type: S3\n  Location: acme-artifacts\n", "ArtifactStore:\n  Type: S3\n  Location: AWS_S3_BUCKET_001\n"],
      ["the bucket acme-prod-uploads is public", "the bucket AWS_S3_BUCKET_001 is public"],
      // AWS's default bucket names: the account is the same AWS_ACCOUNT as anywhere; the rest is AWS's.
      ["cdk-hnb659fds-assets-154322043880-af-south-1 and sagemaker-us-east-1-154322043880", "cdk-hnb659fds-assets-AWS_ACCOUNT_001-af-south-1 and sagemaker-us-east-1-AWS_ACCOUNT_001"],
      ["aws-cloudtrail-logs-137031965393-61372b0a", "aws-cloudtrail-logs-AWS_ACCOUNT_001-AWS_S3_BUCKET_001"],
      ["const b = s3.Bucket.fromBucketName(this, 'Uploads', 'acme-stg-pricing-7m5du');", "const b = s3.Bucket.fromBucketName(this, 'Uploads', 'AWS_S3_BUCKET_001');"],
      ["provider:\n  deploymentBucket:\n    name: vandelay-uat-export-59461\n", "provider:\n  deploymentBucket:\n    name: AWS_S3_BUCKET_001\n"],
      ['"Resource": "arn:aws:s3:::trail-logs-1/AWSLogs/529696836529/*"', '"Resource": "arn:aws:s3:::AWS_S3_BUCKET_001/AWSLogs/AWS_ACCOUNT_001/*"'],
      ["79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be umbrella-dev-loyalty-st2fz [12/Jun/2024:03:10:33 +0000] 10.0.0.1", "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be AWS_S3_BUCKET_001 [12/Jun/2024:03:10:33 +0000] 10.0.0.1"],
      // Name fields: the same surrogate as the name inside its ARN.
      ['"RoleName": "deploy-prod", "Arn": "arn:aws:iam::123456789012:role/deploy-prod"', '"RoleName": "AWS_IAM_ROLE_001", "Arn": "arn:aws:iam::AWS_ACCOUNT_001:role/AWS_IAM_ROLE_001"'],
      ["aws lambda invoke --function-name notify-uat out.json; ExecutionRoleName: exec-role-1", "aws lambda invoke --function-name AWS_LAMBDA_FUNCTION_001 out.json; ExecutionRoleName: AWS_IAM_ROLE_001"],
      // AWS Config and CloudTrail name any resource in `resourceName`.
      ['{"resourceType": "AWS::RDS::DBInstance", "resourceName": "billing-prod-db"}', '{"resourceType": "AWS::RDS::DBInstance", "resourceName": "AWS_RESOURCE_001"}'],
    ],
    [
      "bucket = var.bucket_name", "Bucket: bucket,", "bucket: true", "the bucket policy allows it", "bucket 2024-05-01",
      '"UserName": "alice", "Name": "web", FileName: a.txt', "Location: eu-west-1", "RoleName: !Ref DeployRole", '"resourceName": "string"', "resourceNames: [secrets]",
    ],
  ],
  [
    "AWS error messages",
    [
      ["operation: Stack with id payments-api-prod does not exist", "operation: Stack with id AWS_CLOUDFORMATION_STACK_001 does not exist"],
      ["Stack [payments-api-prod] does not exist", "Stack [AWS_CLOUDFORMATION_STACK_001] does not exist"],
      ["Requested resource not found: Table: payments-ledger-prod not found", "Requested resource not found: Table: AWS_DYNAMODB_TABLE_001 not found"],
      ["Requested resource not found: Table: Orders not found", "Requested resource not found: Table: AWS_DYNAMODB_TABLE_001 not found"],
      ["GetRole operation: The role with name payments-deployer cannot be found.", "GetRole operation: The role with name AWS_IAM_ROLE_001 cannot be found."],
      ["The user with name alice.ng cannot be found. The instance profile with name web-prod cannot be found.", "The user with name AWS_IAM_USER_001 cannot be found. The instance profile with name AWS_IAM_INSTANCE_PROFILE_001 cannot be found."],
      ["The repository with name 'billing/worker' does not exist in the registry with id '730335218842'", "The repository with name 'AWS_ECR_REPOSITORY_001' does not exist in the registry with id 'AWS_ACCOUNT_001'"],
      ["Parameter /payments/prod/db-password not found.", "Parameter AWS_SSM_PARAMETER_001 not found."],
      ["DBInstance billing-prod-db not found. DBCluster payments-prod not found.", "DBInstance AWS_RDS_DB_001 not found. DBCluster AWS_RDS_DB_002 not found."],
      // An ARN in the message is arn.ts's, by parts.
      ["Stack with id arn:aws:cloudformation:eu-west-1:730335218842:stack/web/1f2e does not exist", "Stack with id arn:aws:cloudformation:eu-west-1:AWS_ACCOUNT_001:stack/AWS_CLOUDFORMATION_STACK_001 does not exist"],
    ],
    [
      "The Stack with id field is required", "a Table: column not found", "Parameter values not found", "the role with name tags is fine",
      "Stack with id does not exist", "The user with name cannot be found.",
    ],
  ],
  [
    "IP addresses",
    [
      ["Connection from 54.239.28.85 port 443", "Connection from IP_V4_001 port 443"],
      ['{"PublicIp": "203.0.113.25", "PrivateIp": "10.0.1.5"}', '{"PublicIp": "IP_V4_001", "PrivateIp": "10.0.1.5"}'],
      ["listen [2600:1f18:abcd:1200::1]:443; doc 2001:db8::8a2e:370:7334", "listen [IP_V6_001]:443; doc IP_V6_002"],
    ],
    ["10.0.0.1 172.16.5.4 192.168.1.1 127.0.0.1 169.254.169.254 100.64.0.1", "fe80::1 ::1 fd00::1", "version 1.2.3.4", "firmware 2.17.18.130 support", "앱 버전 9.19.7.65로 업데이트", "v1.2.3.4", "12:30:45", "00:1a:2b:3c:4d:5e", "999.1.1.1"],
  ],
  [
    "generic secrets",
    [
      ["-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1234\nabcd==\n-----END RSA PRIVATE KEY-----\nok", "SECRET_PRIVATE_KEY_001\nok"],
      ["GITHUB_TOKEN: ghp_abcdefghijklmnopqrstuvwxyz0123456789", "GITHUB_TOKEN: SECRET_GITHUB_TOKEN_001"],
      ["slack xoxb-123456789012-1234567890123-abcdefghijklmnop and glpat-abcdefghijklmnopqrst", "slack SECRET_SLACK_TOKEN_001 and SECRET_GITLAB_TOKEN_001"],
      ["sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789 and sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD", "SECRET_ANTHROPIC_KEY_001 and SECRET_OPENAI_KEY_001"],
      ["Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "Authorization: Bearer SECRET_JWT_001"],
      ["AUTHORIZATION: BEARER abcdefghijklmnopqrstuvwx123456", "AUTHORIZATION: BEARER SECRET_BEARER_TOKEN_001"],
      ['curl -H "Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l" https://api.internal/v1', 'curl -H "Authorization: Basic SECRET_BASIC_AUTH_001" https://api.internal/v1'],
      ["Proxy-Authorization: basic dXNlcjpwYXNz\r\n", "Proxy-Authorization: basic SECRET_BASIC_AUTH_001\r\n"],
      ['{"headers": {"authorization": "token 0123456789abcdef0123456789abcdef01234567"}}', '{"headers": {"authorization": "token SECRET_BEARER_TOKEN_001"}}'],
      ["DATABASE_URL=postgres://app:S3cr3t!@db.internal:5432/app", "DATABASE_URL=postgres://app:SECRET_PASSWORD_001@db.internal:5432/app"],
      ["db:\n  password: hunter2hunter2\n  user: app", "db:\n  password: SECRET_VALUE_001\n  user: app"],
      ['const STRIPE_SECRET = "sk_live_abcdefghijklmnop1234"', 'const STRIPE_SECRET = "SECRET_STRIPE_KEY_001"'],
      ["DB_PASSWORD=Tr0ub4dor&3-horse\nDB_USER=app", "DB_PASSWORD=SECRET_VALUE_001\nDB_USER=app"],
      // A sentence's full stop is not part of the value; a dot inside it, or inside quotes, is.
      ["Set password=Hunter2!x. Then restart. Or password=Hunter2!x.y, password='Hunter2!x.'", "Set password=SECRET_VALUE_001. Then restart. Or password=SECRET_VALUE_002, password='SECRET_VALUE_003'"],
      // The name and the value in two fields (ECS task definitions, Kubernetes env), a Terraform variable's default.
      ['{"name": "DB_PASSWORD", "value": "YwDz8arUeoOzD7-3PhB2"}', '{"name": "DB_PASSWORD", "value": "SECRET_VALUE_001"}'],
      ["env:\n  - name: DB_PASSWORD\n    value: s3cr3t-Value-9\n", "env:\n  - name: DB_PASSWORD\n    value: SECRET_VALUE_001\n"],
      ['variable "db_password" {\n  type    = string\n  default = "Eryj2Rtz7wJiOZW"\n}', 'variable "db_password" {\n  type    = string\n  default = "SECRET_VALUE_001"\n}'],
      ['jwtSigningKey: "Yz!3DyLFFZw5jKV4"', 'jwtSigningKey: "SECRET_VALUE_001"'],
      // Quoted, a dotted value is a literal; a / JSON-escaped stays inside the value.
      ['{\\"password\\": \\"wNHJzjURRYd.qCPL2\\"} password: config.password', '{\\"password\\": \\"SECRET_VALUE_001\\"} password: config.password'],
      // An empty user, and a dotted password, in a connection URL.
      ["REDIS_URL=rediss://:uwL0I4EWlyRwnGz@cache:6379 and postgresql://admin:avz7.LXqsXRLlt3@db/app", "REDIS_URL=rediss://:SECRET_PASSWORD_001@cache:6379 and postgresql://admin:SECRET_PASSWORD_002@db/app"],
      ["시크릿 키 dfZMu32CS6/c3UnPw+7ZsxUeh4YESrVBzoyp5R2V는 폐기했습니다. 비밀번호는 7ty6VH706fmbdNoLahM입니다.", "시크릿 키 SECRET_VALUE_001는 폐기했습니다. 비밀번호는 SECRET_VALUE_002입니다."],
      // A value reads like a person reads it: a quoted one to its matching quote (spaces, `,;()"` inside),
      // an unquoted one to the next space, before the next `;key=` field, without its sentence's punctuation.
      [`password="correct horse battery staple" and PASSWORD='a,b(c);d"e' and secret=\`x,y;z(1)\``, `password="SECRET_VALUE_001" and PASSWORD='SECRET_VALUE_002' and secret=\`SECRET_VALUE_003\``],
      // A password may start with % or $ when it is no reference.
      ['password: "%0GcGW#YLfJ^mL"', 'password: "SECRET_VALUE_001"'],
      ["Server=db;Password=Pa55word!;Database=app", "Server=db;Password=SECRET_VALUE_001;Database=app"],
      ["{password: abc123def, user: bob} f(password=abcdef123)", "{password: SECRET_VALUE_001, user: bob} f(password=SECRET_VALUE_002)"],
      // Command-line flags that take passwords.
      ["mysql -u root -pS3cretPass! mydb; mysql -p'S3cret Pass' -h db", "mysql -u root -SECRET_VALUE_001 mydb; mysql -p'SECRET_VALUE_002' -h db"],
      ["aws rds create-db-instance --master-user-password Sup3rS3cret --db-instance-identifier x; PGPASSWORD=pgS3cret9 psql", "aws rds create-db-instance --master-user-password SECRET_VALUE_001 --db-instance-identifier x; PGPASSWORD=SECRET_VALUE_002 psql"],
      // .netrc, an XML element (Maven's settings.xml), SigV4's Authorization header, Docker's config.json.
      ["machine api.github.com login deploy password Zx9-plQ2wT7mKe\nmachine x", "machine api.github.com login deploy password SECRET_VALUE_001\nmachine x"],
      ["<server><username>ci</username><password>Xk29s!dd93 Kq</password></server>", "<server><username>ci</username><password>SECRET_VALUE_001</password></server>"],
      [
        "Authorization: AWS4-HMAC-SHA256 Credential=AKIAZ3MSJV4WWNKWW5ZX/20240101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=5f2b1c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9\n",
        "Authorization: AWS4-HMAC-SHA256 Credential=SECRET_VALUE_001, SignedHeaders=host;x-amz-date, Signature=SECRET_AWS_SIGNATURE_001\n",
      ],
      ['{"auths": {"ghcr.io": {"auth": "Y2ktYm90OlN1cDNyUzNjcmV0VG9r"}}}', '{"auths": {"ghcr.io": {"auth": "SECRET_BASIC_AUTH_001"}}}'],
      // A dotted value with a long random segment is a token, not a lookup; more Authorization schemes; Azure's --account-key.
      ["DISCORD_BOT_TOKEN=MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB", "DISCORD_BOT_TOKEN=SECRET_VALUE_001"],
      ["Authorization: SSWS 00abcdefghijklmnopqrstuvwxyz0123456789ABCD", "Authorization: SSWS SECRET_BEARER_TOKEN_001"],
      ["az storage blob list --account-key 9aQ2mZ7xK4pL1vN8bR3tY6wE0sD5fG2hJ7kL9zX3+ab==", "az storage blob list --account-key SECRET_VALUE_001"],
      // A Sentry DSN's key, and its legacy secret.
      ["SENTRY_DSN=https://3f2a9b8c7d6e4f5a1b2c3d4e5f6a7b8c@o123456.ingest.sentry.io/4505", "SENTRY_DSN=https://SECRET_SENTRY_DSN_KEY_001@o123456.ingest.sentry.io/4505"],
      ["dsn: https://3f2a9b8c7d6e4f5a1b2c3d4e5f6a7b8c:0a1b2c3d4e5f60718293a4b5c6d7e8f9@sentry.example.com/12", "dsn: https://SECRET_SENTRY_DSN_KEY_001:SECRET_PASSWORD_001@sentry.example.com/12"],
      ["GET https://api.example.com/v1?api_key=abcdef123456&page=2", "GET https://api.example.com/v1?api_key=SECRET_VALUE_001&page=2"],
      ["GET /file?X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20240501&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404", "GET /file?X-Amz-Credential=SECRET_VALUE_001&X-Amz-Signature=SECRET_AWS_SIGNATURE_001"],
    ],
    ["password = getPassword()", "password: %(db_pass)s", "password=$DB_PASS", "docker login --password-stdin < pw.txt", '"Action": "secretsmanager:GetSecretValue"', "AWS_WEB_IDENTITY_TOKEN_FILE: /var/run/secrets/eks.amazonaws.com/serviceaccount/token", "master_password = (sensitive value)", "mysql -u root -p mydb", "password: ${DB_PASSWORD}", "token: null", "api_key: config.apiKey", "password: settings.DATABASE_PASSWORD_V2", "Authorization: Bot token required", "the password field", "color: #deadbeef", "Authorization: Basic authentication is disabled", "authorization: basic credentials", 'Authorization: Basic realm="x"', "Authorization: bearer token", "Authorization: Basic abcdefgh", "<password></password>", "<password>${DB_PASSWORD}</password>", "<password>\n  x\n</password>", "machine host login deploy", '"auth": "dGhpcyBpcyBhIHBsYWluIHNlbnRlbmNl"', '"auth": "required"', "aws4_request, Signature=abc"],
  ],
  [
    "AWS secret access keys",
    [
      ['NewStaticCredentialsProvider("AKIAPWOQ5QLQOSEDUWXN", "oBkgEmBA5ofK7UNrI/3msFP0IkM+apbs+PJAKt58", "")', 'NewStaticCredentialsProvider("AWS_ACCESS_KEY_001", "AWS_SECRET_KEY_001", "")'],
      ["bob,,AKIAPWOQ5QLQOSEDUWXN,oBkgEmBA5ofK7UNrI/3msFP0IkM+apbs+PJAKt58", "bob,,AWS_ACCESS_KEY_001,AWS_SECRET_KEY_001"],
      // aws sts assume-role --output text: the expiration between the key ID and its secret.
      ["CREDENTIALS\tASIAPWOQ5QLQOSEDUWXN\t2024-05-01T12:00:00+00:00\toBkgEmBA5ofK7UNrI/3msFP0IkM+apbs+PJAKt58\tx", "CREDENTIALS\tAWS_ACCESS_KEY_001\t2024-05-01T12:00:00+00:00\tAWS_SECRET_KEY_001\tx"],
      ['{\\"key\\":\\"AKIAHZE36XZSYWFADNVJ\\",\\"secret\\":\\"Ark3xZH+hjTn\\\\/9scuoWFqwTAxdVTWyvCYIOmJzaq\\"}', '{\\"key\\":\\"AWS_ACCESS_KEY_001\\",\\"secret\\":\\"AWS_SECRET_KEY_001\\"}'],
      // Forty letters of one case after a key ID are words, not its secret.
      ["AKIAPWOQ5QLQOSEDUWXN, abcdefghijabcdefghijabcdefghijabcdefghij", "AWS_ACCESS_KEY_001, abcdefghijabcdefghijabcdefghijabcdefghij"],
    ],
    [],
  ],
  [
    "escaped text",
    [
      ['"{\\"InstanceId\\":\\"i-0a1b2c3d4e5f67890\\"}"', '"{\\"InstanceId\\":\\"AWS_EC2_001\\"}"'],
      ['"arn:aws:iam::123456789012:role\\/deploy"', '"arn:aws:iam::AWS_ACCOUNT_001:role\\/AWS_IAM_ROLE_001"'],
      ["arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdeploy", "arn%3Aaws%3Aiam%3A%3AAWS_ACCOUNT_001%3Arole%2FAWS_IAM_ROLE_001"],
      ["s3%3A%2F%2Fmy-bucket%2Fkey", "s3%3A%2F%2FAWS_S3_BUCKET_001%2Fkey"],
      // Double URL-encoding (%253A, %252F): a URL inside a query parameter of another URL.
      ["next=arn%253Aaws%253Acloudformation%253Aeu-west-3%253A994997795901%253Astack%252FSearch%252F48ff7bfb&x=1", "next=arn%253Aaws%253Acloudformation%253Aeu-west-3%253AAWS_ACCOUNT_001%253Astack%252FAWS_CLOUDFORMATION_STACK_001&x=1"],
    ],
    [],
  ],
  [
    "literal surrogates",
    [
      ["I typed AWS_EC2_001 myself", "I typed LITERAL_001 myself"],
      ["SECRET_VALUE_042 and IP_V4_1000", "LITERAL_001 and LITERAL_002"],
      ["(AWS_IAM_ROLE_007)", "(LITERAL_001)"],
    ],
    ["HTTP_404", "MAX_RETRIES_100", "AWS_REGION", "AWS_EC2_01"],
  ],
];

const LOOK_ALIKES = [
  "commit 3f786850e387550fdab836ed7e6dc881de23001b",
  "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "uuid 123e4567-e89b-12d3-a456-426614174000",
  "version 2.14.1 and 10.0.19045",
  "phone 010-1234-5678, order #1234567890",
  "the dbadmin bucket-list of logs in the cluster",
  "background: #ff00aa; color: rgb(1,2,3)",
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
];

for (const [type, positives, negatives] of TABLE) {
  describe(type, () => {
    test.each(positives)("masks %p", async (input, output) => expect(await mask(input)).toBe(output));
    if (negatives.length) test.each(negatives)("leaves %p", async (input) => expect(await mask(input)).toBe(input));
  });
}

test.each(LOOK_ALIKES)("look-alike stays intact: %p", async (input) => expect(await mask(input)).toBe(input));

test("ARN_MODE=whole gives one surrogate per ARN", async () => {
  expect(await mask("role arn:aws:iam::123456789012:role/deploy and arn:aws:s3:::b1/x, done", wholeArns)).toBe("role AWS_ARN_001 and AWS_ARN_002, done");
});

test("the account inside an ARN is the same surrogate as the account elsewhere", async () => {
  expect(await mask("Account 123456789012 owns arn:aws:iam::123456789012:user/bob")).toBe("Account AWS_ACCOUNT_001 owns arn:aws:iam::AWS_ACCOUNT_001:user/AWS_IAM_USER_001");
});

test("overlapping candidates: the longest wins and nothing is left half-masked", async () => {
  // Same span as an assigned secret: the more specific type (lower priority number) wins.
  expect(await mask("api_key=AKIAIOSFODNN7EXAMPLE url=https://my-bucket.s3.amazonaws.com/key")).toBe(
    "api_key=AWS_ACCESS_KEY_001 url=https://AWS_S3_BUCKET_001.s3.amazonaws.com/key",
  );
  // A longer assigned value swallows the bucket inside it: the whole value is hidden, nothing half-masked.
  expect(await mask("token=s3://bucket-one/a")).toBe("token=SECRET_VALUE_001");
});

test("huge, binary-ish and invalid UTF-16 input is handled without a crash", async () => {
  const huge = `${"a".repeat(5_000_000)} i-0a1b2c3d4e5f67890 ${"b:".repeat(2_500_000)}`;
  const masked = await mask(huge);
  expect(masked.length).toBe(huge.length - "i-0a1b2c3d4e5f67890".length + "AWS_EC2_001".length);
  const binary = String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => (i * 7919) % 65536)) + "\ud800 lone surrogate \udfff AKIAIOSFODNN7EXAMPLE";
  expect((await mask(binary)).endsWith("\ud800 lone surrogate \udfff AWS_ACCESS_KEY_001")).toBe(true);
});

test("account IDs in the output of get-caller-identity and in a custom-format flow log record", async () => {
  expect(await mask("$ aws sts get-caller-identity --query Account --output text\n369953457845\n$ ls")).toBe("$ aws sts get-caller-identity --query Account --output text\nAWS_ACCOUNT_001\n$ ls");
  expect(await mask("5 vpc-075b5b0253f7f0880 eni-0affab33446bdd951 575605385832 184.36.187.44 443 REJECT")).toBe("5 AWS_VPC_001 AWS_ENI_001 AWS_ACCOUNT_001 IP_V4_001 443 REJECT");
  // Twelve digits on an unrelated line stay.
  expect(await mask("order 369953457845 shipped")).toBe("order 369953457845 shipped");
});
