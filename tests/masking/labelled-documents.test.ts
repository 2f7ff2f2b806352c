/**
 * Held-out recall: documents of kinds the development set does not have (labelled-documents.ts),
 * masked as `claude-masking-proxy mask` and `/v1/mask` mask them (the request masker: catalogue, tenant
 * memory, and the guard's repair of a found value's other occurrences). A labelled value is caught when its full value is gone from the
 * output and no 8-character window of it survives that has at least 4 characters outside `keep`
 * and does not also occur in the document's unlabelled text. Kinds in KNOWN_GAPS may leak today:
 * each is a documented gap of the catalogue; remove it once its kind stops leaking.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { createLogger } from "../../src/log.ts";
import { Masker } from "../../src/masking/masker.ts";
import { RequestMasker } from "../../src/proxy/request-masker.ts";
import { ThinkingCache } from "../../src/proxy/thinking-cache.ts";
import { openStore } from "../../src/store/index.ts";
import { tempDir } from "../helpers/proxy-process.ts";
import { labelledDocuments, type LabelledDocument, type LabelledSecret } from "./labelled-documents.ts";

// Kinds allowed to leak for now, each with what leaks (see the printed report for the values).
const KNOWN_GAPS = new Set<string>([]);

const store = await openStore({ url: `sqlite://${tempDir()}/m.db`, secret: "s".repeat(32), ttlMs: 3_600_000 });
const masker = new Masker(store, { arnMode: "parts" });
const requestMasker = new RequestMasker({ masker, thinking: new ThinkingCache(), logger: createLogger("error", () => {}) });
afterAll(() => store.close());

const DOCS = labelledDocuments(15, 4);
const KINDS = [...new Set(DOCS.map((doc) => doc.kind))];
let tenantCounter = 0;

/** The text with every labelled value cut out (longest first), joined by NULs. */
function publicText(doc: LabelledDocument): string {
  let text = doc.text;
  for (const { value } of [...doc.secrets].sort((a, b) => b.value.length - a.value.length)) text = text.split(value).join("\0");
  return text;
}

/** What of `secret` survives in `masked`: its full value, or its probe windows. */
function surviving(secret: LabelledSecret, masked: string, publicPart: string): string[] {
  const { value, keep = [] } = secret;
  if (masked.includes(value)) return [value];
  const isPublic = [...value].map((_, i) => keep.some(([a, b]) => i >= a && i < b));
  const hits = new Set<string>();
  for (let i = 0; i + 8 <= value.length; i++) {
    const window = value.slice(i, i + 8);
    if (isPublic.slice(i, i + 8).filter((p) => !p).length >= 4 && !publicPart.includes(window) && masked.includes(window)) hits.add(window);
  }
  return [...hits];
}

/** ~30 characters either side of the first occurrence of `value` in `text`. */
function context(text: string, value: string): string {
  const at = text.indexOf(value);
  return JSON.stringify(text.slice(Math.max(0, at - 30), Math.min(text.length, at + value.length + 30)));
}

/** `context` is where it survived in the masked output; `via` names other leaked values that explain all of it. */
interface Leak { kind: string; id: string; type: string; value: string; survived: string[]; context: string; via?: string[] }

async function check(doc: LabelledDocument): Promise<{ leaks: Leak[]; unlabelled: string[] }> {
  const tenant = `held-out-${++tenantCounter}`;
  const { masked, entities } = await requestMasker.maskLooseTexts(tenant, [doc.text]);
  expect((await masker.unmaskTexts(tenant, masked)).texts[0]).toBe(doc.text);
  const publicPart = publicText(doc);
  const leaks: Leak[] = [];
  for (const secret of doc.secrets) {
    const survived = surviving(secret, masked[0]!, publicPart);
    if (survived.length > 0) leaks.push({ kind: doc.kind, id: doc.id, type: secret.type, value: secret.value, survived, context: context(masked[0]!, survived[0]!) });
  }
  const whole = leaks.filter((l) => l.survived.includes(l.value));
  for (const leak of leaks) {
    const via = leak.survived.map((w) => whole.find((o) => o !== leak && o.value.includes(w))?.value);
    if (via.every((v) => v !== undefined)) leak.via = [...new Set(via)] as string[];
  }
  // Masked originals that lie inside no labelled value, or only inside a labelled value's public
  // parts: false positives, or values the labels do not name.
  const keepParts = doc.secrets.flatMap((s) => (s.keep ?? []).map(([a, b]) => s.value.slice(a, b)));
  const unlabelled = entities
    .filter((e) => !doc.secrets.some((s) => s.value.includes(e.original)) || keepParts.some((part) => part.includes(e.original)))
    .map((e) => `${doc.id}: ${e.type} ${JSON.stringify(e.original)} in ${context(doc.text, e.original)}`);
  return { leaks, unlabelled };
}

const results = new Map<string, { total: number; leaks: Leak[]; unlabelled: string[] }>();

describe("held-out labelled documents", () => {
  for (const kind of KINDS) {
    test(`${kind}: every labelled value is masked${KNOWN_GAPS.has(kind) ? " (known gap)" : ""}`, async () => {
      const result = { total: 0, leaks: [] as Leak[], unlabelled: [] as string[] };
      for (const doc of DOCS.filter((d) => d.kind === kind)) {
        const { leaks, unlabelled } = await check(doc);
        result.total += doc.secrets.length;
        result.leaks.push(...leaks);
        result.unlabelled.push(...unlabelled);
      }
      results.set(kind, result);
      if (!KNOWN_GAPS.has(kind)) expect(result.leaks.map((l) => `${l.type} ${l.value}`)).toEqual([]);
    });
  }

  // Printed after the cases, for whichever of them ran.
  afterAll(() => {
    const lines = ["held-out recall per kind (unique values per document):"];
    let total = 0, leaked = 0;
    for (const [kind, r] of results) {
      total += r.total;
      leaked += r.leaks.length;
      const note = KNOWN_GAPS.has(kind) ? (r.leaks.length === 0 ? "  (in KNOWN_GAPS but no longer leaks: remove it)" : "  (known gap)") : "";
      lines.push(`  ${kind.padEnd(18)} ${((1 - r.leaks.length / r.total) * 100).toFixed(1).padStart(5)}%  ${r.total - r.leaks.length}/${r.total}${note}`);
    }
    lines.push(`  ${"all".padEnd(18)} ${((1 - leaked / total) * 100).toFixed(1).padStart(5)}%  ${total - leaked}/${total}`);
    for (const [, r] of results) {
      for (const l of r.leaks) lines.push(`LEAK ${l.id} ${l.type} ${JSON.stringify(l.value)} ${l.via ? `(via ${l.via.map((v) => JSON.stringify(v)).join(", ")})` : `survived=${JSON.stringify(l.survived)}`} in output: ${l.context}`);
    }
    for (const [, r] of results) for (const u of r.unlabelled) lines.push(`UNLABELLED MASKED ${u}`);
    console.log(lines.join("\n"));
  });
});
