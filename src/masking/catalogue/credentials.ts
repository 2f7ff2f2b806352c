/** AWS credentials and account IDs. */
import { AFTER_ESCAPE, TOKEN_END, TOKEN_START } from "../boundary.ts";
import { contextBefore, type CatalogueEntry } from "../types.ts";
import { AMAZONAWS, SECRET, TOKEN } from "./triggers.ts";

const ACCESS_KEY_KINDS: [type: string, idPrefixes: string, prefix: string][] = [
  ["aws_access_key_id", "AKIA|ASIA|ABIA|ACCA", "AWS_ACCESS_KEY"],
  // Unique IDs of users, roles, groups… are 21 characters; access keys 20.
  ["aws_role_id", "AROA", "AWS_ROLE_ID"],
  ["aws_user_id", "AIDA", "AWS_USER_ID"],
  ["aws_group_id", "AGPA", "AWS_GROUP_ID"],
  ["aws_policy_id", "ANPA|ANVA", "AWS_POLICY_ID"],
  ["aws_instance_profile_id", "AIPA", "AWS_INSTANCE_PROFILE_ID"],
  ["aws_public_key_id", "APKA", "AWS_PUBLIC_KEY_ID"],
];

/**
 * 12 digits are an account only with an account word nearby (or inside an ARN, see arn.ts), or
 * in the `AWSLogs/ACCOUNT/` prefix CloudTrail, ELB and VPC flow logs write to S3 under.
 */
const ACCOUNT_CONTEXT = /(account|owner|계정|aws_?id|principal|payer|--account)[^\n]{0,32}$|AWSLogs(?:\/|%2F|\\\/)$/i;

/**
 * A VPC flow log record names the account in its second field: `2 123456789012 eni-0a1b… …`
 * (version, account, interface or `-`). Read from the few characters around the number.
 */
function inFlowLogRecord(text: string, index: number): boolean {
  if (/(?:^|[\s"'])[2-9] $/.test(text.slice(Math.max(0, index - 4), index)) && /^ (?:eni-[0-9a-f]{8,17}|-) /.test(text.slice(index + 12, index + 12 + 23))) return true;
  // A custom format (`${interface-id} ${account-id} …`): the account right after a resource ID.
  return /(?:^|\s)(?:eni|i|vpc|subnet)-(?:[0-9a-f]{8}|[0-9a-f]{17}) $/.test(text.slice(Math.max(0, index - 26), index));
}

/** The output of `aws sts get-caller-identity` (text or JSON) on the lines after the command. */
const CALLER_IDENTITY_OUTPUT = /get-caller-identity[^\n]*\n(?:[^\n]*\n){0,3}[^\n]{0,64}$/;

/** A secret access key: forty base64 characters, a `/` maybe JSON-escaped. */
const SECRET_KEY_VALUE = String.raw`(?:[A-Za-z0-9+]|\\{0,3}\/){40}(?![A-Za-z0-9/+=]|\\+\/)`;

const kindByIdPrefix = new Map(ACCESS_KEY_KINDS.flatMap(([type, idPrefixes, prefix]) => idPrefixes.split("|").map((id) => [id, { type, prefix }] as const)));
/** Every ID prefix without its leading `A`. */
const idTails = [...kindByIdPrefix.keys()].map((id) => id.slice(1)).join("|");

const isTokenChar = (code: number) => (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 0x2b || code === 0x2f;

/**
 * The end of a session token whose first forty characters end at `at`: base64 characters and
 * URL-escaped `+`, `/`, `=` (`%2B`, `%2F`, `%3D`), then up to two `=`. A loop, not a regex:
 * JavaScriptCore takes a hundred times longer on a loop of alternatives (`%2F%2F…`).
 */
function sessionTokenEnd(text: string, at: number): number {
  let i = at;
  for (;;) {
    const code = text.charCodeAt(i);
    if (isTokenChar(code)) i++;
    else if (code === 0x25 /* % */ && /^(?:2[BbFf]|3[Dd])$/.test(text.slice(i + 1, i + 3))) i += 3;
    else break;
  }
  for (let equals = 0; equals < 2 && text.charCodeAt(i) === 0x3d; equals++) i++;
  return i;
}

export const credentialEntries: CatalogueEntry[] = [
  {
    // One pass for every kind: starts at the `A` of the ID prefix, checks the boundary in a
    // lookbehind, and `classify` names the kind from the prefix.
    type: "aws_access_key_id",
    prefix: "AWS_ACCESS_KEY",
    priority: 10,
    pattern: new RegExp(`(?<id>A(?:${idTails}))(?<=(?:(?<![A-Z0-9])|${AFTER_ESCAPE})A...)[A-Z0-9]{16,17}(?![A-Z0-9])`, "g"),
    // With the boundary before the `A`, so a run of `AKIAAKIA…` stops the shared pass once.
    triggers: [{ chars: "A", when: `(?<=(?:(?<![A-Z0-9])|${AFTER_ESCAPE})A)(?=${idTails})` }],
    classify: (groups) => kindByIdPrefix.get(groups.id!),
    family: [...new Map([...kindByIdPrefix.values()].map((kind) => [kind.prefix, kind])).values()],
  },
  {
    // aws_secret_access_key, SecretAccessKey, secret_key, aws_secret — read from "secret" on.
    type: "aws_secret_access_key",
    prefix: "AWS_SECRET_KEY",
    priority: 10,
    triggers: [SECRET],
    everyStart: true,
    // `KEY=…`, `"key": "…"`, or `aws configure set aws_secret_access_key …` (a space).
    // Also a key named just "secret" (`{"key": "AKIA…", "secret": "…"}`), the value's shape then
    // deciding; a `/` in it may be JSON-escaped (`\/`, `\\/`).
    pattern: new RegExp(String.raw`secret(?:_?access_?key|_?key|(?<=aws_?secret)|(?=\\{0,7}["']))(?:\\{0,7}["'])?(?:\s*[:=]\s*|[ \t]+)(?:\\{0,7}["'])?(?<value>${SECRET_KEY_VALUE})`, "gi"),
  },
  {
    // The secret right after its access key ID: `NewStaticCredentialsProvider("AKIA…", "…")`,
    // a credentials.csv row `AKIA…,…`, `AKIA… …` in a table; in `aws sts … --output text`,
    // the expiration stands between them (`CREDENTIALS	ASIA…	2024-05-01T12:00:00Z	SECRET	TOKEN`).
    type: "aws_secret_access_key",
    prefix: "AWS_SECRET_KEY",
    priority: 10,
    triggers: [{ chars: "A", when: `(?<=(?:(?<![A-Z0-9])|${AFTER_ESCAPE})A)(?=KIA|SIA)` }],
    pattern: new RegExp(String.raw`A(?<=(?:(?<![A-Z0-9])|${AFTER_ESCAPE})A)(?:KIA|SIA)[A-Z0-9]{16}(?![A-Z0-9])(?:\\{0,7}["'])?[ \t]*[,;:|\t ][ \t]*(?:\d{4}-\d\d-\d\dT[0-9:.]{5,15}(?:Z|[+-]\d\d:?\d\d)?[ \t]+)?(?:\\{0,7}["'])?(?<value>${SECRET_KEY_VALUE})`, "g"),
    // Forty characters of one case and no digit are a word run, not a key.
    validate: (value) => /[0-9+/]/.test(value) && /[a-z]/.test(value) && /[A-Z]/.test(value),
  },
  {
    type: "aws_session_token",
    prefix: "AWS_SESSION_TOKEN",
    priority: 10,
    // Modern STS tokens start IQoJ…, older ones FwoG…; both are long base64 runs.
    triggers: [
      { chars: "J", when: "(?<=IQoJ)(?=b3JpZ2luX2Vj)", back: [3] },
      { chars: "G", when: "(?<=FwoG)(?=ZXIvYXdzE)", back: [3] },
    ],
    // Forty characters, then the rest unrolled: JavaScriptCore runs `(?:a|b){40,}` over a long
    // run a hundred times slower than plain character-class loops.
    pattern: /(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdzE)(?:[A-Za-z0-9/+]|\\\/){40}[A-Za-z0-9/+]*(?:\\\/[A-Za-z0-9/+]*)*={0,2}/g,
  },
  {
    // session_token, security_token, x-amz-security-token — read from "token" on.
    type: "aws_session_token",
    prefix: "AWS_SESSION_TOKEN",
    priority: 11,
    triggers: [TOKEN],
    everyStart: true,
    // The value's first forty characters; `extend` reads the rest (a capture around a loop
    // of alternatives costs JavaScriptCore time per character).
    pattern: /token(?<=(?:session_?|security_?|x-amz-security-)token)(?:\\?["'])?\s*[:=]\s*(?:\\?["'])?(?<value>(?:[A-Za-z0-9/+]|%2[Bb]|%2[Ff]|%3[Dd]){40})/gi,
    extend: (text, end) => sessionTokenEnd(text, end),
  },
  {
    type: "aws_account_id",
    prefix: "AWS_ACCOUNT",
    priority: 12,
    pattern: new RegExp(String.raw`${TOKEN_START}\d{12}${TOKEN_END}`, "g"),
    validate: (_value, text, index) => contextBefore(text, index, ACCOUNT_CONTEXT) || inFlowLogRecord(text, index) || contextBefore(text, index, CALLER_IDENTITY_OUTPUT, 400),
  },
  {
    // ECR registry hosts spell the account: mask it as the same AWS_ACCOUNT as elsewhere.
    type: "aws_account_id",
    prefix: "AWS_ACCOUNT",
    priority: 12,
    triggers: [AMAZONAWS],
    everyStart: true,
    pattern: new RegExp(String.raw`amazonaws\.com(?<=${TOKEN_START}(?<lead>\d{12})(?<between>\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.)amazonaws\.com)`, "g"),
    leadIn: (groups) => groups.lead!.length + groups.between!.length,
    leadOnly: true,
  },
];
