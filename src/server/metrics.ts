/**
 * Prometheus metrics. Labels carry only route templates, status codes, entity types and
 * store operations: never a tenant's text, a key, an original or a surrogate. Entity types
 * come from a fixed set (entityTypeLabel): an ARN masked by parts has a type built from the
 * ARN's own service and resource type, which is user text.
 */
// prom-client's index also loads the push gateway and cluster aggregation (~10 MB of resident
// memory); the classes used here, and the process metrics, are taken from their own files.
import Counter from "prom-client/lib/counter";
import collectDefaultMetrics from "prom-client/lib/defaultMetrics";
import Gauge from "prom-client/lib/gauge";
import Histogram from "prom-client/lib/histogram";
import Registry from "prom-client/lib/registry";
import type { Gauge as PromGauge } from "prom-client";

/** The label of every ARN resource name, whatever service and resource type the ARN names. */
export const ARN_RESOURCE_LABEL = "arn_resource";
/** Any other type outside the catalogue (none is expected). */
export const OTHER_TYPE_LABEL = "other";

/** The catalogue's type names: every entry's `type` and every type of its `family`. */
export function catalogueTypes(entries: readonly { type: string; family?: readonly { type: string }[] }[]): Set<string> {
  const types = new Set<string>();
  for (const entry of entries) for (const { type } of entry.family ?? [entry]) types.add(type);
  return types;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export class Metrics {
  readonly registry = new Registry();

  constructor(version = "unknown") {
    // Resident memory, CPU, open files, heap and event-loop lag, under their usual names.
    collectDefaultMetrics({ register: this.registry });
    this.buildInfo.set({ version, runtime: `bun ${Bun.version}` }, 1);
  }

  readonly buildInfo = new Gauge({
    name: "cmp_build_info",
    help: "Always 1; the labels say which build and runtime serve",
    labelNames: ["version", "runtime"] as const,
    registers: [this.registry],
  });

  readonly requests = new Counter({
    name: "cmp_http_requests_total",
    help: "HTTP requests by route template and status code",
    labelNames: ["route", "status"] as const,
    registers: [this.registry],
  });
  readonly upstreamLatency = new Histogram({
    name: "cmp_upstream_latency_seconds",
    help: "Time until the upstream answered with headers",
    labelNames: ["route"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly upstreamResponses = new Counter({
    name: "cmp_upstream_responses_total",
    help: "Upstream answers by status class (2xx, 4xx, 5xx), or transport when it could not be reached",
    labelNames: ["class"] as const,
    registers: [this.registry],
  });
  readonly requestDuration = new Histogram({
    name: "cmp_request_duration_seconds",
    help: "Time from request arrival until the whole answer was sent (a stream: until it ended)",
    labelNames: ["route"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly addedLatency = new Histogram({
    name: "cmp_added_latency_seconds",
    help: "Time the proxy spent before forwarding a call upstream (reading, masking, the egress guard)",
    labelNames: ["route"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly timeToFirstByte = new Histogram({
    name: "cmp_time_to_first_byte_seconds",
    help: "Time from request arrival until the first response byte left the proxy",
    labelNames: ["route"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly entitiesMasked = new Counter({
    name: "cmp_entities_masked_total",
    help: "Sensitive values masked in requests, by type",
    labelNames: ["type"] as const,
    registers: [this.registry],
  });
  readonly surrogatesRestored = new Counter({
    name: "cmp_surrogates_restored_total",
    help: "Surrogates restored to originals in answers",
    registers: [this.registry],
  });
  readonly unknownSurrogates = new Counter({
    name: "cmp_unknown_surrogates_total",
    help: "Surrogate-like strings in answers that the tenant does not have (the model invented them)",
    registers: [this.registry],
  });
  readonly memoryHits = new Counter({
    name: "cmp_memory_hits_total",
    help: "Values masked only because the tenant memory knew them (the catalogue missed them there), by type",
    labelNames: ["type"] as const,
    registers: [this.registry],
  });
  readonly guardRepairs = new Counter({
    name: "cmp_guard_repairs_total",
    help: "Originals the egress guard found unmasked in a request and replaced, by type",
    labelNames: ["type"] as const,
    registers: [this.registry],
  });
  readonly guardRefusals = new Counter({
    name: "cmp_guard_refusals_total",
    help: "Originals the egress guard could not mask (the request was refused), by type",
    labelNames: ["type"] as const,
    registers: [this.registry],
  });
  readonly storeLatency = new Histogram({
    name: "cmp_store_latency_seconds",
    help: "Mapping store call latency",
    labelNames: ["operation"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly storeErrors = new Counter({
    name: "cmp_store_errors_total",
    help: "Mapping store calls that failed, by operation and cause (refused, dns, timeout, auth, unavailable, error)",
    labelNames: ["operation", "cause"] as const,
    registers: [this.registry],
  });
  /** The catalogue's type names, the only entity types that are label values as they are. */
  private knownTypes: ReadonlySet<string> = new Set();

  /** Sets the catalogue's type names (from the masker, once it is built). */
  knowEntityTypes(types: Iterable<string>): void {
    this.knownTypes = new Set(types);
  }

  /**
   * The label (and request-log key) for a masked type: a catalogue type as it is; an ARN part's
   * type (`arn_<service>_<resource type>`, user text) as `arn_resource`; anything else `other`.
   * One tenant never sees another's text in /metrics, and the label set stays bounded.
   */
  entityTypeLabel(type: string): string {
    if (this.knownTypes.has(type)) return type;
    return type.startsWith("arn_") ? ARN_RESOURCE_LABEL : OTHER_TYPE_LABEL;
  }

  /** What the request masker reports, counted by type label. */
  readonly maskingObserver = {
    memoryHits: (counts: Record<string, number>) => {
      for (const [type, count] of Object.entries(counts)) this.memoryHits.inc({ type: this.entityTypeLabel(type) }, count);
    },
    guardRepaired: (types: string[]) => {
      for (const type of types) this.guardRepairs.inc({ type: this.entityTypeLabel(type) });
    },
    guardRefused: (types: string[]) => {
      for (const type of types) this.guardRefusals.inc({ type: this.entityTypeLabel(type) });
    },
  };

  /** Reads the live count at scrape time from whatever `runnerCount` is set to. */
  runnerCount: () => number = () => 0;
  readonly runnerActive: PromGauge = new Gauge({
    name: "cmp_runner_processes_active",
    help: "claude CLI processes currently running",
    registers: [this.registry],
    collect: (): void => this.runnerActive.set(this.runnerCount()),
  });

  async render(): Promise<Response> {
    return new Response(await this.registry.metrics(), { headers: { "content-type": this.registry.contentType } });
  }
}
