/**
 * The tenant-wide memory of originals: whole-token matching (escapes are boundaries), the
 * policy for short and common originals, and the change feed shared by two processes' maskers
 * over one real SQLite store.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { seededRandom } from "../fixtures/sse-builder.ts";
import { Masker } from "../../src/masking/masker.ts";
import { isMemorable, MEMORY_LIMITS, OriginalsMatcher } from "../../src/masking/originals-matcher.ts";
import { TenantMemory } from "../../src/masking/tenant-memory.ts";
import { openStore } from "../../src/store/index.ts";
import { tempDir } from "../helpers/proxy-process.ts";

const spans = (matcher: OriginalsMatcher, text: string, since = 0) => matcher.find(text, since).map((m) => text.slice(m.start, m.end));

describe("OriginalsMatcher", () => {
  const matcher = new OriginalsMatcher();
  matcher.add("deploy-prod", "iam_role", "AWS_IAM_ROLE");
  matcher.add("deploy-production-eu", "iam_role", "AWS_IAM_ROLE");
  matcher.add("Hunter2Secret!x", "assigned_secret", "SECRET_VALUE");
  matcher.add("210987654321", "aws_account_id", "AWS_ACCOUNT");

  test("whole tokens only, longest first: never part of a longer word or number", () => {
    expect(spans(matcher, "role deploy-prod and deploy-production-eu")).toEqual(["deploy-prod", "deploy-production-eu"]);
    expect(spans(matcher, "deploy-production deploy-prodX xdeploy-prod 5210987654321 2109876543210")).toEqual([]);
    expect(spans(matcher, "pw:Hunter2Secret!x, again Hunter2Secret!xy")).toEqual(["Hunter2Secret!x"]);
  });

  test("a few texts (searched one by one) and many (one pass) are found alike: leftmost, longest, whole tokens", () => {
    const random = seededRandom(1412);
    const pool = ["deploy-prod", "deploy-prod-eu", "prod-eu", "i-0abc12345678", "i-0abc1234567890", "Pw!x\\y\"z", "비밀-value-9", "a_b-cd", "x.y.z-1"];
    const pieces = [...pool, " ", "_", "-", "x", "\\n", "%2F", "é", "\"", "\\u0022"];
    for (let round = 0; round < 300; round++) {
      const chosen = pool.filter(() => random() < 0.6);
      const few = new OriginalsMatcher();
      const many = new OriginalsMatcher();
      for (const text of chosen) {
        few.add(text, "t", "T");
        many.add(text, "t", "T");
      }
      for (let i = 0; i < 40; i++) many.add(`zq-decoy-${i}-value`, "t", "T"); // past the few-texts path
      const text = Array.from({ length: 30 }, () => pieces[Math.floor(random() * pieces.length)]).join("");
      expect(spans(few, text)).toEqual(spans(many, text));
    }
  });

  test("texts starting with characters outside ASCII are found too", () => {
    const other = new OriginalsMatcher();
    other.add("비밀번호-2024-x", "assigned_secret", "SECRET_VALUE");
    other.add("é-secret-value", "assigned_secret", "SECRET_VALUE");
    other.add("x비밀-value", "assigned_secret", "SECRET_VALUE");
    expect(spans(other, "pw 비밀번호-2024-x, é-secret-value (x비밀-value)")).toEqual(["비밀번호-2024-x", "é-secret-value", "x비밀-value"]);
    const asciiOnly = new OriginalsMatcher();
    asciiOnly.add("deploy-prod", "iam_role", "AWS_IAM_ROLE");
    expect(spans(asciiOnly, "비밀 deploy-prod é")).toEqual(["deploy-prod"]);
  });

  test("escapes and separators are boundaries: JSON escapes, \\u, %XX, _", () => {
    const text = String.raw`{"log":"line1\n210987654321\tdeploy-prod\"x\u0022deploy-prod"} %2Fdeploy-prod backup_deploy-prod_old xdeploy-prod`;
    expect(spans(matcher, text)).toEqual(["210987654321", "deploy-prod", "deploy-prod", "deploy-prod", "deploy-prod"]);
  });

  test("find(text, since) reports only what was added after `since`; stamps of another matcher count for nothing", () => {
    const stamp = matcher.stamp();
    expect(matcher.learnedSinceIn("deploy-prod", stamp)).toBe(false);
    matcher.add("acme-prod-uploads", "s3_bucket", "AWS_S3_BUCKET");
    expect(spans(matcher, "deploy-prod acme-prod-uploads", stamp.generation)).toEqual(["acme-prod-uploads"]);
    expect(matcher.learnedSinceIn("s3://acme-prod-uploads", stamp)).toBe(true);
    expect(new OriginalsMatcher().learnedSinceIn("deploy-prod", stamp)).toBe(false);
    expect(matcher.learnedSinceIn("deploy-prod", new OriginalsMatcher().stamp())).toBe(true);
  });

  test("the policy: lone short words and short numbers are not remembered, distinctive values are", () => {
    expect(["master", "backups", "assistant", "password", "hunter", "80443", "abc1"].filter(isMemorable)).toEqual([]);
    expect(["Hunter2Secret!x", "deploy-prod", "correcthorsebattery", "210987654321", "i-0a1b2c3d4e5f67890"].every(isMemorable)).toBe(true);
  });
});

describe("what a tenant can make the memory hold", () => {
  test("20,000 instance IDs under one head: each found as itself, by one lookup per length", () => {
    const matcher = new OriginalsMatcher(MEMORY_LIMITS);
    const ids = Array.from({ length: 20_000 }, (_, i) => `i-0${i.toString(16).padStart(16, "0")}`);
    for (const id of ids) expect(matcher.add(id, "ec2_instance", "AWS_EC2")).toBe(true);
    const text = `${ids[19_999]} and ${ids[7]}, not i-0${"f".repeat(16)}`;
    expect(spans(matcher, text)).toEqual([ids[19_999]!, ids[7]!]);
  });

  test("a crafted set of lengths under one head, or a very long value, is refused beyond the limits", () => {
    const matcher = new OriginalsMatcher(MEMORY_LIMITS);
    const added = Array.from({ length: 100 }, (_, i) => matcher.add(`abc-${"x".repeat(i + 2)}`, "t", "T")).filter(Boolean).length;
    expect(added).toBe(MEMORY_LIMITS.maxLengthsPerHead);
    expect(matcher.add(`k${"y".repeat(MEMORY_LIMITS.maxLength)}`, "t", "T")).toBe(false);
    // The guards' matcher has no limits: a request's own originals are all looked for.
    expect(new OriginalsMatcher().add(`k${"y".repeat(5_000)}`, "t", "T")).toBe(true);
  });

  test("a tenant keeps at most maxOriginals; the feed's cursor still moves on", async () => {
    const entries = Array.from({ length: 30 }, (_, i) => ({ surrogate: `SECRET_VALUE_${String(i + 1).padStart(3, "0")}`, original: `Secret-value-${i}!` }));
    const feed = { changesSince: async (_tenant: string, cursor: number, limit: number) => ({ entries: entries.slice(cursor, cursor + limit), cursor: Math.min(entries.length, cursor + limit), complete: cursor + limit >= entries.length }) };
    const memory = new TenantMemory(feed, () => ({ type: "assigned_secret", prefix: "SECRET_VALUE" }), { maxOriginals: 10, pageSize: 7 });
    const matcher = await memory.sync("t");
    expect(matcher.size).toBe(10);
    expect(matcher.has("Secret-value-9!")).toBe(true);
    expect(matcher.has("Secret-value-10!")).toBe(false);
  });
});

describe("tenant memory over a shared store", async () => {
  const path = `${tempDir("cmp-memory-")}/store.db`;
  const open = () => openStore({ url: `sqlite://${path}`, secret: "memory-secret-0123456789abcdef012345", ttlMs: 3_600_000 });
  const [storeA, storeB] = [await open(), await open()];
  afterAll(async () => {
    await storeA.close();
    await storeB.close();
  });
  // Two processes: each its own masker, cache and memory, one store file.
  const processA = new Masker(storeA, { arnMode: "parts" });
  const processB = new Masker(storeB, { arnMode: "parts" });

  test("an original masked in context by one process is masked out of context by the other, with the same surrogate", async () => {
    const first = await processA.maskTexts("t1", ["password=Hunter2Secret!x role arn:aws:iam::210987654321:role/deploy-prod"]);
    expect(first.masked).toEqual(["password=SECRET_VALUE_001 role arn:aws:iam::AWS_ACCOUNT_001:role/AWS_IAM_ROLE_001"]);
    // Restored text, written again by the model into a subagent's prompt: no context left.
    const seeded = await processB.maskTexts("t1", ["Use deploy-prod in 210987654321 with Hunter2Secret!x."]);
    expect(seeded.masked).toEqual(["Use AWS_IAM_ROLE_001 in AWS_ACCOUNT_001 with SECRET_VALUE_001."]);
    // What only the memory found, by type (the catalogue's gaps, for /metrics).
    expect(seeded.memoryHits).toEqual({ arn_iam_role: 1, aws_account_id: 1, assigned_secret: 1 });
    // Where the catalogue finds a value too, the memory's finding is no gap.
    const inContext = await processB.maskTexts("t1", ["password=Hunter2Secret!x and again Hunter2Secret!x"]);
    expect(inContext.masked).toEqual(["password=SECRET_VALUE_001 and again SECRET_VALUE_001"]);
    expect(inContext.memoryHits).toEqual({ assigned_secret: 1 });
    // Other tenants know nothing of it.
    expect((await processB.maskTexts("t2", ["Use deploy-prod with Hunter2Secret!x."])).masked).toEqual(["Use deploy-prod with Hunter2Secret!x."]);
  });

  test("a common word masked as a password is masked where it is a password, not in every sentence", async () => {
    expect((await processA.maskTexts("t3", ["password=master"])).masked).toEqual(["password=SECRET_VALUE_001"]);
    expect((await processB.maskTexts("t3", ["merge into master branch", "password: master"])).masked).toEqual([
      "merge into master branch",
      "password: SECRET_VALUE_001",
    ]);
  });

  test("values that look like surrogates are not remembered (the literal entry masks them anywhere)", async () => {
    const memory = (await processA.memoryOf("t1"))!;
    const typed = await processA.maskTexts("t4", ["I typed AWS_EC2_047 myself"]);
    expect(typed.masked).toEqual(["I typed LITERAL_001 myself"]);
    expect((await processA.memoryOf("t4"))!.has("AWS_EC2_047")).toBe(false);
    expect(memory.has("Hunter2Secret!x")).toBe(true);
  });
});

describe("#3: values right after an escape are detected", async () => {
  const store = await openStore({ url: `sqlite://${tempDir("cmp-escape-")}/s.db`, secret: "escape-secret-0123456789abcdef0123456", ttlMs: 3_600_000 });
  afterAll(() => store.close());
  const masker = new Masker(store, { arnMode: "parts" });

  test("JSON escapes, \\u0022 and %2F before an instance, an account and a role ARN", async () => {
    // A CloudWatch Logs event: JSON inside a JSON string, as `aws logs filter-log-events` prints it.
    const event = String.raw`{"message":"line1\ni-07e1a2b3c4d5e6f70 started\taccount: 123456789012\narn:aws:iam::123456789012:role/deploy-prod\u0022 x %2Fi-07e1a2b3c4d5e6f70"}`;
    const [masked] = (await masker.maskTexts("t", [event])).masked;
    expect(masked).toBe(
      String.raw`{"message":"line1\nAWS_EC2_001 started\taccount: AWS_ACCOUNT_001\narn:aws:iam::AWS_ACCOUNT_001:role/AWS_IAM_ROLE_001\u0022 x %2FAWS_EC2_001"}`,
    );
  });

  test("an address right after \\u0022, whose last hex digits could be read as its first octet or group", async () => {
    const text = String.raw`[\u002252.148.48.14\u0022, \u00222a01:db8:85a3::8a2e:370:7334\u0022]`;
    const [masked] = (await masker.maskTexts("t", [text])).masked;
    expect(masked).toBe(String.raw`[\u0022IP_V4_001\u0022, \u0022IP_V6_001\u0022]`);
  });

  test("_ is a boundary: values glued to names by _ are masked, and adjacent values stay apart", async () => {
    const text = "backup_i-07e1a2b3c4d5e6f70 snap_i-07e1a2b3c4d5e6f70_i-0ffffffffffffffff key_AKIAIOSFODNN7EXAMPLE_old";
    const [masked] = (await masker.maskTexts("u", [text])).masked;
    expect(masked).toBe("backup_AWS_EC2_001 snap_AWS_EC2_001_AWS_EC2_002 key_AWS_ACCESS_KEY_001_old");
    const restored = await masker.unmaskTexts("u", [masked!]);
    expect(restored.texts).toEqual([text]);
  });
});
