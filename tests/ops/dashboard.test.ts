/**
 * scripts/grafana-dashboard.json: every panel's query names metrics that a running proxy's
 * /metrics really exposes (after real traffic), so a renamed metric cannot leave a panel empty.
 */
import { afterAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { respond, startScriptedUpstream } from "../fixtures/scripted-upstream.ts";
import { ROOT } from "../helpers/proxy-process.ts";
import { TEST_METRICS_TOKEN, startTestProxy } from "../helpers/test-proxy.ts";

const upstream = await startScriptedUpstream();
afterAll(() => upstream.stop());

/** Metric names in a PromQL expression: identifiers outside braces, not functions or keywords. */
function metricNames(expr: string): string[] {
  const outsideBraces = expr.replace(/\{[^}]*\}/g, "").replace(/\[[^\]]*\]/g, "");
  const words = outsideBraces.match(/[a-z_][a-z0-9_]*/g) ?? [];
  const promql = new Set(["sum", "by", "rate", "histogram_quantile", "le", "route", "operation", "cause", "type", "status", "class", "without", "avg", "max"]);
  return words.filter((word) => !promql.has(word) && /_/.test(word));
}

test("every panel's query names a metric that /metrics exposes", async () => {
  const proxy = await startTestProxy({ upstreamUrl: upstream.url });
  try {
    upstream.script(respond.message({ content: [{ type: "text", text: "ok" }] }));
    const sent = await fetch(`${proxy.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": proxy.key, "content-type": "application/json" },
      body: JSON.stringify({ model: "m", max_tokens: 5, messages: [{ role: "user", content: "i-0a1b2c3d4e5f67890" }] }),
    });
    expect(sent.status).toBe(200);
    await sent.text();
    const exposition = await (await fetch(`${proxy.url}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } })).text();
    const exposed = new Set([...exposition.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));

    const dashboard = JSON.parse(readFileSync(join(ROOT, "scripts/grafana-dashboard.json"), "utf8"));
    const panels = dashboard.panels as { title: string; targets: { expr: string }[] }[];
    expect(panels.length).toBeGreaterThanOrEqual(12);
    const missing: string[] = [];
    for (const panel of panels) {
      expect({ panel: panel.title, targets: panel.targets.length > 0 }).toEqual({ panel: panel.title, targets: true });
      for (const { expr } of panel.targets) {
        const names = metricNames(expr);
        expect({ expr, names: names.length > 0 }).toEqual({ expr, names: true });
        for (const name of names) if (!exposed.has(name.replace(/_(bucket|sum|count)$/, ""))) missing.push(`${panel.title}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
    // What the issue asks the dashboard to show is there.
    const titles = panels.map((panel) => panel.title).join("\n");
    for (const word of ["Requests", "Errors", "Added latency", "Time to first byte", "Masked values", "memory", "guard", "Store latency", "Store errors", "Claude Code runs", "Resident memory"]) expect(titles).toContain(word);
  } finally {
    await proxy.stop();
  }
});
