/**
 * Hostile inputs for the scanner: texts built to make a pattern re-read what it has read
 * (repeated keywords, unterminated blocks, long runs of one trigger character). Used by
 * tests/masking/adversarial.test.ts (correctness: each scan ends and finds exactly what it
 * should) and scripts/bench/adversarial.ts (MB/s per shape next to ordinary text).
 *
 * Two kinds of shapes:
 * - `FIXED_SHAPES`: written by hand, each with its exact expected match count;
 * - `entryShapes(entries)`: derived from every catalogue entry, from a real match of it found
 *   in `ENTRY_SAMPLES`: the match repeated, its opening repeated, its head followed by a long
 *   run of each of its punctuation characters. An entry added to the catalogue gets its
 *   shapes with no change here, as long as one sample holds a match of it (a test checks).
 */
import { VENDOR_SAMPLES } from "./catalogue/vendor-samples.ts";
import type { CatalogueEntry } from "../../src/masking/types.ts";

export const MB = 1_000_000;

/** `unit` repeated to exactly `size` characters. */
export const repeat = (unit: string, size = MB) => unit.repeat(Math.max(0, Math.ceil(size / unit.length))).slice(0, Math.max(0, size));

/**
 * Small real values placed in the middle of every shape, fenced by `<` and `>` (which end
 * every value, name and body in the catalogue), so the hostile filler around them cannot
 * swallow them: each must come out exactly as it is alone.
 */
export const CANARIES = [
  { text: "i-0a1b2c3d4e5f67890", type: "ec2_instance" },
  { text: "AKIAIOSFODNN7EXAMPLE", type: "aws_access_key_id" },
] as const;

/** `filler` halves around the canaries: `head\n<canary1> <canary2>\ntail`. */
export function withCanaries(filler: string): { text: string; canaryStarts: number[] } {
  const half = filler.slice(0, filler.length >> 1);
  let text = `${half}\n`;
  const canaryStarts: number[] = [];
  for (const canary of CANARIES) {
    text += "<";
    canaryStarts.push(text.length);
    text += `${canary.text}> `;
  }
  return { text: `${text}\n${filler.slice(filler.length >> 1)}`, canaryStarts };
}

export interface Shape {
  name: string;
  /** About 1 MB (or `size`) of hostile text, without canaries. */
  make: (size?: number) => string;
  /** Exact number of matches in the filler alone (fixed shapes only). */
  matches?: number;
  /** For derived shapes: the entry (type and index in the catalogue) it was derived from. */
  entry?: { index: number; type: string };
}

const B64 = "QUJDRGVmZ2hpamtsbW5vcHFyc3R1dnd4eXowMTIzNDU2Nzg5Ky8";
const KOREAN = "배포가 완료되었습니다. 계정 설정을 확인하세요. ";

/** At least 30 hand-written shapes, each with its exact match count at 1 MB. */
export const FIXED_SHAPES: Shape[] = [
  { name: "secret_token_password_api_key_ repeated", make: (n) => repeat("secret_token_password_api_key_", n), matches: 0 },
  // Each `password=` opens a name whose value is the rest of the run: one surviving match.
  { name: "password= repeated", make: (n) => repeat("password=", n), matches: 1 },
  // Each value would be the next name, `PASSWORD` (its `:` ends the sentence): a placeholder, not a secret.
  { name: "PASSWORD: spaced repeated (each value is the next name)", make: (n) => repeat("PASSWORD: ", n), matches: 0 },
  { name: "secret_key= repeated", make: (n) => repeat("secret_key=", n), matches: 1 },
  // Every vendor format stopping at `_` holds at each one: one regex for all of them, not fifty.
  { name: "live_ repeated (a vendor opening)", make: (n) => repeat("live_", n), matches: 0 },
  { name: "token token … (no separator)", make: (n) => repeat("token ", n), matches: 0 },
  { name: "credential run", make: (n) => repeat("credential", n), matches: 0 },
  { name: "?password= query repeated", make: (n) => repeat("?password=", n), matches: 1 },
  { name: 'nested {"password": repeated', make: (n) => repeat('{"password":', n), matches: 0 },
  { name: "PEM header repeated", make: (n) => repeat("-----BEGIN RSA PRIVATE KEY-----", n), matches: 0 },
  { name: "PEM header + newline repeated (each body is one newline)", make: (n) => repeat("-----BEGIN RSA PRIVATE KEY-----\n", n), matches: 31_250 },
  { name: "PEM header then 1 MB of base64, no END", make: (n = MB) => `-----BEGIN RSA PRIVATE KEY-----\n${repeat(B64, n - 32)}`, matches: 1 },
  { name: "PEM header then END lines of other blocks", make: (n) => `-----BEGIN PRIVATE KEY-----\n${repeat("-----END CERTIFICATE-----\n", (n ?? MB) - 28)}`, matches: 1 },
  { name: "dash run", make: (n) => repeat("-", n), matches: 0 },
  { name: "underscore run", make: (n) => repeat("_", n), matches: 0 },
  { name: "colon run", make: (n) => repeat(":", n), matches: 0 },
  { name: "dot run", make: (n) => repeat(".", n), matches: 0 },
  { name: "slash run", make: (n) => repeat("/", n), matches: 0 },
  { name: "percent run", make: (n) => repeat("%", n), matches: 0 },
  { name: "long URL authority https://aaaa…@", make: (n = MB) => `https://${repeat("a", n - 10)}@h`, matches: 0 },
  { name: "https://a:b repeated", make: (n) => repeat("https://a:b", n), matches: 0 },
  { name: "arn: repeated", make: (n) => repeat("arn:", n), matches: 0 },
  { name: "arn:aws: repeated", make: (n) => repeat("arn:aws:", n), matches: 0 },
  { name: "ARN with a 1 MB resource of arn", make: (n = MB) => `arn:aws:iam::123456789012:role/${repeat("arn", n - 31)}`, matches: 2 },
  { name: "ARN with a 1 MB resource ending in colons", make: (n = MB) => `arn:aws:iam::123456789012:role/x${repeat(":", n - 33)}a`, matches: 2 },
  { name: "ARN with trailing dashes", make: (n = MB) => `arn:aws:iam::123456789012:role/a${repeat("-", n - 32)}`, matches: 2 },
  { name: "%2F run", make: (n) => repeat("%2F", n), matches: 0 },
  { name: "arn%3A run", make: (n) => repeat("arn%3A", n), matches: 0 },
  { name: "eyJ run", make: (n) => repeat("eyJ", n), matches: 0 },
  { name: "eyJ segments (every three are a JWT)", make: (n) => repeat("eyJabcdefgh.", n), matches: 27_777 },
  { name: "base64 run", make: (n) => repeat(B64, n), matches: 0 },
  { name: "hex run", make: (n) => repeat("0123456789abcdef", n), matches: 0 },
  { name: "AKIA run", make: (n) => repeat("AKIA", n), matches: 0 },
  { name: "i- run", make: (n) => repeat("i-", n), matches: 0 },
  { name: "vpc- run", make: (n) => repeat("vpc-", n), matches: 0 },
  { name: "hex with dashes (UUID-like)", make: (n) => repeat("0123abcd-12ab-", n), matches: 0 },
  { name: "digit run", make: (n) => repeat("1234567890", n), matches: 0 },
  { name: "AWS_EC2_ surrogate-like run", make: (n) => repeat("AWS_EC2_", n), matches: 0 },
  { name: "AWS_ then A_ run", make: (n = MB) => `AWS_${repeat("A_", n - 4)}`, matches: 0 },
  { name: "1. run (IPv4 dots)", make: (n) => repeat("1.", n), matches: 0 },
  { name: "1.2.3. run", make: (n) => repeat("1.2.3.", n), matches: 0 },
  { name: "a:b: run (IPv6 colons)", make: (n) => repeat("a:b:", n), matches: 0 },
  { name: ":: run", make: (n) => repeat("::", n), matches: 0 },
  { name: "Authorization: Basic repeated", make: (n) => repeat("Authorization: Basic ", n), matches: 0 },
  { name: "Authorization: Bearer + 1 MB token", make: (n = MB) => `Authorization: Bearer ${repeat("a", n - 22)}`, matches: 1 },
  { name: "s3:// run", make: (n) => repeat("s3://", n), matches: 0 },
  { name: "s3://bucket then dash run", make: (n = MB) => `s3://ab${repeat("-", n - 8)}c`, matches: 0 },
  { name: "quotes and backslashes", make: (n) => repeat(`"'\\`, n), matches: 0 },
  { name: "JSON-escaped \\n run", make: (n) => repeat("\\n", n), matches: 0 },
  { name: "Korean text", make: (n) => repeat(KOREAN, n), matches: 0 },
  { name: "space run after zone_id", make: (n = MB) => `zone_id${repeat(" ", n - 8)}x`, matches: 0 },
  { name: "session_token= + 1 MB of %2F", make: (n = MB) => `session_token=${repeat("%2F", n - 14)}`, matches: 1 },
  { name: "amazonaws.com run", make: (n) => repeat("amazonaws.com", n), matches: 0 },
  { name: "a. run then amazonaws.com", make: (n = MB) => `${repeat("a.", n - 13)}amazonaws.com`, matches: 0 },
  { name: "ghp_ run", make: (n) => repeat("ghp_", n), matches: 0 },
  { name: "sk- run (one long key)", make: (n) => repeat("sk-", n), matches: 1 },
  { name: "glpat- run", make: (n) => repeat("glpat-", n), matches: 1 },
  { name: "X-Amz-Signature= run", make: (n) => repeat("X-Amz-Signature=", n), matches: 0 },
  { name: "password=$ run (every value rejected)", make: (n) => repeat("password=$", n), matches: 0 },
  { name: "password=a.b dotted values", make: (n) => repeat("password=a.b", n), matches: 1 },
];

/**
 * Texts holding at least one match of every built-in entry (the scanner test's samples and a
 * few more). A new entry needs a sample here; adversarial.test.ts fails until it has one.
 */
export const ENTRY_SAMPLES = [
  "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY npm_abcdefghijklmnopqrstuvwxyz0123456789 dckr_pat_abcdefghijklmnopqrstuvwxyz0 hf_abcdefghijklmnopqrstuvwxyzABCDEFGH hvs.CAESIJ1a2b3c4d5e6f7g8h9i0jKLMN shpat_0123456789abcdef0123456789abcdef sq0atp-abcdefghijklmnopqrstuv",
  "SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ lin_api_abcdefghijklmnopqrstuvwxyz0123456789ABCD PMAK-0123456789abcdef01234567-0123456789abcdef0123456789abcdef01 glsa_abcdefghijklmnopqrstuvwxyz012345_0a1b2c3d pul-0123456789abcdef0123456789abcdef01234567 AccountKey=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb==",
  "pypi-AgEIcHlwaS5vcmcA1b2C3d4E5A1b2C3d4E5A1b2C3d4E5A1b2C3d4E5A1b2C3d4E5A1b2C3d4E5 dop_v1_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef AGE-SECRET-KEY-1QPZRY9X8GFQPZRY9X8GFQPZRY9X8GFQPZRY9X8GFQPZRY9X8GFQPZRY9X8",
  '"DbiResourceId": "db-ABCDEFGHIJKL01234567890123" oidc.eks.us-east-1.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9 app/web-prod-alb/50dc6c495c0c9188',
  "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be umbrella-dev-loyalty-st2fz [12/Jun/2024:03:10:33 +0000]",
  "mysql -u root -pS3cretPass! mydb; mysql -p'S3cret Pass' db",
  "https://search-logs-4fx2abc9.eu-west-1.es.amazonaws.com us-east-1_AbCdEf123 us-east-1:0a1b2c3d-1234-5678-9abc-def012345678 o-a1b2c3d4e5",
  'S3_BUCKET=acme-prod-uploads Type: S3, Location: acme-artifacts-1 "RoleName": "deploy-prod" cdk-hnb659fds-assets-123456789012-us-east-1 "logGroup": "/ecs/web-1"',
  '("AKIAPWOQ5QLQOSEDUWXN", "oBkgEmBA5ofK7UNrI/3msFP0IkM+apbs+PJAKt58") 비밀번호는 7ty6VH706fmbdNoLahM입니다',
  "AWS_EC2_001 (SECRET_VALUE_042) IP_V4_1000",
  "Stack with id web-prod does not exist; Stack [web-1] does not exist; not found: Table: ledger-1 not found; The role with name deployer cannot be found; the registry with id '123456789012'; Parameter /app/db not found; DBInstance db-1 not found; DBCluster c-1 not found",
  "ghp_abcdefghijklmnopqrstuvwxyz0123456789 github_pat_11ABCDEFG0123456789_abcdefghij glpat-abcdefghijklmnopqrst gldt-abcdefghijklmnopqrstu",
  "xoxb-123456789012-abcdef rk_live_abcdefghijklmnop1234 pk_test_ABCDEFGHIJKLMNOP sk-ant-api03-abcdefghijklmnopqrstuvwxyz sk-proj-abcdefghijklmnopqrstuvwxyz0123456789",
  "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
  'AUTHORIZATION: BEARER abcdefghijklmnopqrstuvwx123456 Proxy-Authorization: basic dXNlcjpwYXNz "authorization": "Token 0123456789abcdef0123"',
  "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXX ?X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
  "postgres://app:S3cr3t!@db:5432 -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
  "PASSWORD=abcdef123 PassWord: abc123def passwd=qwerty123 PWD='zxcvbn12' Api-Key: abcdefgh1234 APIKEY=abcdefgh1234",
  "ACCESS_KEY=abcdefghijkl private-key: zzzzzzzzzzzz Credentials: abcdefghij auth_key=abcdefghij ?client_secret=abcdefghij&Token=123456789",
  "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY SECURITY_TOKEN: AQoDYXdzEJr1K6AEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
  "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD6EXAMPLEtoken FwoGZXIvYXdzEJr//////////wEaDExampleExampleExample12345==",
  '"HostedZoneId": "Z1D633PJN98FT9" hostedzone/Z2FDTNDATAQYW2 ZONE_ID=Z0123456789ABCDEF',
  "arn:aws:iam::123456789012:role/deploy arn%3Aaws%3As3%3A%3A%3Amy-bucket AKIAIOSFODNN7EXAMPLE AROAJQABLZS4A3QDU576Q",
  "db.c9akciq32.us-east-1.rds.amazonaws.com 123456789012.dkr.ecr.us-east-1.amazonaws.com acme-assets.s3.us-west-2.amazonaws.com s3.amazonaws.com/bkt d111111abcdef8.cloudfront.net",
  "my-cache.abc123.0001.use1.cache.amazonaws.com examplecluster.abc123xyz789.us-west-2.redshift.amazonaws.com",
  "https://sqs.us-east-2.amazonaws.com/494402453837/orders-dlq.fifo 123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api-server:1.2",
  "ABCDEF0123456789ABCDEF0123456789.gr7.us-east-1.eks.amazonaws.com my-elb-1234567890.us-east-1.elb.amazonaws.com",
  "my-nlb-0123456789abcdef.elb.us-east-1.amazonaws.com a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com ec2-54-12-34-56.compute-1.amazonaws.com",
  's3://acme-logs/x S3%3A%2F%2Fbkt "Bucket": "team-backups" --bucket my-bucket bucket = "tf-bucket"',
  "kms 1234abcd-12ab-34cd-56ef-1234567890ab mrk-1234abcd12ab34cd56ef1234567890ab CloudFront distribution E2QWRUHAPOMQZL /aws/lambda/my-func",
  "i-0a1b2c3d4e5f67890 %2Fvpc-12345678 tgw-attach-0123456789abcdef0 dxcon-abcd1234 54.239.28.85 2600:1f18:abcd:1200::1 fe80::1 10:30:45",
  "Account 123456789012 owns it",
  "Credential=AKIAZ3MSJV4WWNKWW5ZX/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=5f2b1c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9",
  '{"auths": {"ghcr.io": {"auth": "Y2ktYm90OlN1cDNyUzNjcmV0VG9r"}}}',
  "https://3f2a9b8c7d6e4f5a1b2c3d4e5f6a7b8c@o123456.ingest.sentry.io/4505",
  ...VENDOR_SAMPLES.map(([token]) => `token ${token} end`),
];

/** The first match of `entry` in the samples, with the text its leadIn reads before it. */
export function sampleMatch(entry: CatalogueEntry, samples: readonly string[] = ENTRY_SAMPLES): string | undefined {
  const pattern = new RegExp(entry.pattern.source, entry.pattern.flags.includes("g") ? entry.pattern.flags : `${entry.pattern.flags}g`);
  for (const sample of samples) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(sample); m; m = pattern.exec(sample)) {
      if (m[0].length === 0) {
        pattern.lastIndex++;
        continue;
      }
      const lead = entry.leadIn ? entry.leadIn(m.groups ?? {}, sample, m.index) : 0;
      let end = m.index + m[0].length;
      if (entry.extend) end = entry.extend(sample, end, {}, m.groups ?? {}) ?? end;
      return sample.slice(m.index - lead, end);
    }
  }
  return undefined;
}

/**
 * Shapes derived from one match of each entry: the match repeated (glued, so every copy
 * starts inside the previous one's tail), its first half repeated, the match followed by a
 * long run of its last character, a long run of its first character before it, and its head
 * followed by a long run of each of its punctuation characters (at most three).
 */
export function entryShapes(entries: readonly CatalogueEntry[], samples: readonly string[] = ENTRY_SAMPLES): Shape[] {
  const shapes: Shape[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const match = sampleMatch(entry, samples);
    if (match === undefined) return;
    const add = (kind: string, make: (n: number) => string) => {
      const key = make(64).slice(0, 64) + "|" + make(200).slice(-32);
      if (seen.has(`${index}|${key}`)) return;
      seen.add(`${index}|${key}`);
      shapes.push({ name: `${entry.type}#${index}: ${kind}`, make: (n = MB) => make(n), entry: { index, type: entry.type } });
    };
    add("match repeated", (n) => repeat(match, n));
    add("first half repeated", (n) => repeat(match.slice(0, Math.max(1, match.length >> 1)), n));
    add("last character run", (n) => match + repeat(match.at(-1)!, n - match.length));
    add("first character run", (n) => repeat(match[0]!, n - match.length) + match);
    const punctuation = [...new Set(match.replace(/[A-Za-z0-9]/g, ""))].slice(0, 3);
    for (const char of punctuation) {
      const head = match.slice(0, match.indexOf(char) + 1);
      add(`head then a run of ${JSON.stringify(char)}`, (n) => head + repeat(char, n - head.length));
    }
  });
  return shapes;
}
