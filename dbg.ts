import { Masker } from "./src/masking/masker.ts";
const m = new Masker({ getOrCreate: async () => [], lookup: async () => [] } as any, { arnMode: "parts" });
const t = process.argv[2]!;
console.log(m.scanner.scan(t).map(x => [t.slice(x.start, x.end), x.type]));
