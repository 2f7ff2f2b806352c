/**
 * A generated mixed corpus (JSON tool output, code, logs, prose) with sparse secrets, from a
 * seeded PRNG so every run and every machine sees the same text. Used by the round-trip test
 * and by the scanner benchmark.
 */
import { seededRandom } from "../fixtures/sse-builder.ts";

const hex = (random: () => number, n: number) => Array.from({ length: n }, () => "0123456789abcdef"[Math.floor(random() * 16)]).join("");
const upper = (random: () => number, n: number) => Array.from({ length: n }, () => "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[Math.floor(random() * 32)]).join("");
const digits = (random: () => number, n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join("");

/** One sensitive value of a random kind. */
export function secretValue(random: () => number): string {
  const kinds = [
    () => `i-${hex(random, 17)}`,
    () => `vpc-${hex(random, 8)}`,
    () => `sg-${hex(random, 17)}`,
    () => `AKIA${upper(random, 16)}`,
    () => `arn:aws:iam::${digits(random, 12)}:role/app-${hex(random, 4)}`,
    () => `arn:aws:s3:::bucket-${hex(random, 6)}/logs/*`,
    () => `${52 + Math.floor(random() * 3)}.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}.${1 + Math.floor(random() * 250)}`,
    () => `s3://data-${hex(random, 6)}/path`,
    () => `ghp_${upper(random, 36)}`,
    () => `db-${hex(random, 4)}.c9akciq32.us-east-1.rds.amazonaws.com`,
  ];
  return kinds[Math.floor(random() * kinds.length)]!();
}

const FILLERS = [
  (r: () => number) => `{"Reservations":[{"OwnerId":"ACCOUNT","Instances":[{"InstanceType":"t3.micro","LaunchTime":"2024-05-0${1 + Math.floor(r() * 8)}T10:00:00Z","State":{"Name":"running"},"Tags":[{"Key":"Name","Value":"web-${hex(r, 4)}"}]}]}]}\n`,
  (r: () => number) => `2024-05-01T10:${digits(r, 2)}:00Z INFO  request served in ${digits(r, 3)}ms status=200 path=/api/v1/items/${digits(r, 4)} trace=${hex(r, 32)}\n`,
  (r: () => number) => `function handle${upper(r, 4)}(event) {\n  const items = event.records.map((record) => record.body);\n  return items.filter(Boolean).length; // commit ${hex(r, 40)}\n}\n`,
  (r: () => number) => `The deployment finished after ${digits(r, 2)} minutes. 배포가 완료되었습니다. Version 2.${digits(r, 1)}.${digits(r, 1)} is now live; check the dashboard.\n`,
  (r: () => number) => `resource "aws_instance" "web" {\n  ami           = var.ami_id\n  instance_type = "t3.medium"\n  tags = { Name = "web-${hex(r, 3)}" }\n}\n`,
];

/** About `size` characters of mixed text; one secret per ~`every` characters. */
export function mixedCorpus(size: number, seed = 7, every = 2_000): string {
  const random = seededRandom(seed);
  const parts: string[] = [];
  let length = 0;
  let sinceSecret = 0;
  while (length < size) {
    let piece = FILLERS[Math.floor(random() * FILLERS.length)]!(random);
    if (sinceSecret > every) {
      piece = piece.replace(/\n$/, ` ${secretValue(random)}\n`);
      sinceSecret = 0;
    }
    parts.push(piece);
    length += piece.length;
    sinceSecret += piece.length;
  }
  return parts.join("").slice(0, size);
}
