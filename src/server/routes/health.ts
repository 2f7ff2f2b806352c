/** Liveness and readiness. Unauthenticated, so they reveal nothing but status and version. */
import { Elysia } from "elysia";
import type { MappingStore } from "../../store/types.ts";

export function healthRoutes(version: string, store: MappingStore | undefined) {
  return new Elysia()
    .get("/", () => ({ name: "claude-masking-proxy", status: "ok" }))
    .get("/health", () => ({ status: "ok", version }))
    .get("/health/ready", async () => {
      const healthy = store ? await store.health().then((h) => h.ok, () => false) : true;
      return Response.json(
        healthy ? { status: "ready", version } : { status: "unavailable", version, reason: "mapping store unreachable" },
        { status: healthy ? 200 : 503 },
      );
    });
}
