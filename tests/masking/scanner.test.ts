/**
 * The scanner's shared trigger pass (see `Trigger`) must find exactly what running each
 * pattern over the whole text finds: a trigger that misses a start silently unmasks a value.
 * The reference here runs every pattern as a global regex, and `everyStart` entries at every
 * position of the text, and compares the full match lists.
 */
import { describe, expect, test } from "bun:test";
import { builtInCatalogue } from "../../src/masking/catalogue/index.ts";
import { Scanner } from "../../src/masking/scanner.ts";
import { seededRandom } from "../fixtures/sse-builder.ts";
import { mixedCorpus, secretValue } from "./corpus.ts";
import { referenceScanner } from "./reference-scanner.ts";

/** One sample per trigger kind, in the spellings the triggers must cover (case, escapes). */
const SAMPLES = [
  "AWS_EC2_001 (SECRET_VALUE_042) IP_V4_1000",
  "ghp_abcdefghijklmnopqrstuvwxyz0123456789 github_pat_11ABCDEFG0123456789_abcdefghij glpat-abcdefghijklmnopqrst gldt-abcdefghijklmnopqrstu",
  "xoxb-123456789012-abcdef rk_live_abcdefghijklmnop1234 pk_test_ABCDEFGHIJKLMNOP sk-ant-api03-abcdefghijklmnopqrstuvwxyz sk-proj-abcdefghijklmnopqrstuvwxyz0123456789",
  "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
  'AUTHORIZATION: BEARER abcdefghijklmnopqrstuvwx123456 Proxy-Authorization: basic dXNlcjpwYXNz "authorization": "Token 0123456789abcdef0123"',
  "glpat-aaaaaaaaaaaaaaaaaaaa-ghp_abcdefghijklmnopqrstuvwxyz0123456789 eyJabcdefgh-ghp_abcdefghijklmnopqrstuvwxyz0123456789.eyJabcdefgh.abcdefghijk",
  "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXX ?X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
  "postgres://app:S3cr3t!@db:5432 -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
  "PASSWORD=abcdef123 PassWord: abc123def passwd=qwerty123 PWD='zxcvbn12' Api-Key: abcdefgh1234 APIKEY=abcdefgh1234",
  "ACCESS_KEY=abcdefghijkl private-key: zzzzzzzzzzzz Credentials: abcdefghij auth_key=abcdefghij ?client_secret=abcdefghij&Token=123456789",
  "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY SECURITY_TOKEN: AQoDYXdzEJr1K6AEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
  "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD6EXAMPLEtoken FwoGZXIvYXdzEJr//////////wEaDExampleExampleExample12345==",
  '"HostedZoneId": "Z1D633PJN98FT9" hostedzone/Z2FDTNDATAQYW2 ZONE_ID=Z0123456789ABCDEF',
  "arn:aws:iam::123456789012:role/deploy arn%3Aaws%3As3%3A%3A%3Amy-bucket barn:aws:iam::123456789012:user/x AKIAIOSFODNN7EXAMPLE AROAJQABLZS4A3QDU576Q",
  "db.c9akciq32.us-east-1.rds.amazonaws.com 123456789012.dkr.ecr.us-east-1.amazonaws.com b.s3.us-west-2.amazonaws.com s3.amazonaws.com/bkt d111111abcdef8.cloudfront.net",
  's3://acme-logs/x S3%3A%2F%2Fbkt "Bucket": "team-backups" --bucket my-bucket bucket = "tf-bucket"',
  "kms 1234abcd-12ab-34cd-56ef-1234567890ab mrk-1234abcd12ab34cd56ef1234567890ab CloudFront distribution E2QWRUHAPOMQZL /aws/lambda/my-func",
  "i-0a1b2c3d4e5f67890 %2Fvpc-12345678 tgw-attach-0123456789abcdef0 dxcon-abcd1234 54.239.28.85 2600:1f18:abcd:1200::1 fe80::1 10:30:45",
  "Account 123456789012 owns it",
];

describe("the shared trigger pass", () => {
  for (const mode of ["parts", "whole"] as const) {
    const entries = builtInCatalogue(mode);
    const scanner = new Scanner(entries);
    const same = (text: string) => expect(scanner.scan(text)).toEqual(referenceScanner(entries, text).scan(text));

    test(`finds what whole-text regexes find (${mode}): samples`, () => {
      for (const sample of SAMPLES) same(sample);
      same(SAMPLES.join("\n"));
    });

    test(`finds what whole-text regexes find (${mode}): corpus and mutations`, () => {
      same(mixedCorpus(20_000, 3, 300));
      const random = seededRandom(99);
      const pieces = [...SAMPLES.flatMap((sample) => sample.split(" ")), " ", "=", ":", "-", ".", "_", "%3A", "\\/", '"'];
      for (let i = 0; i < 300; i++) {
        const parts = Array.from({ length: 2 + Math.floor(random() * 6) }, () => (random() < 0.3 ? secretValue(random) : pieces[Math.floor(random() * pieces.length)]!));
        const text = parts.join(random() < 0.5 ? "" : " ");
        // Flip the case of one letter: the secret words are case-insensitive.
        const at = Math.floor(random() * text.length);
        const flipped = text.slice(0, at) + (text.charAt(at) === text.charAt(at).toUpperCase() ? text.charAt(at).toLowerCase() : text.charAt(at).toUpperCase()) + text.slice(at + 1);
        same(flipped);
      }
    });
  }
});
