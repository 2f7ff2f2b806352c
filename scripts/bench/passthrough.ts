/**
 * A plain pass-through proxy for benchmarks: same runtime, same socket handling, no masking.
 * The difference between it and the real proxy is the cost of masking and restoring.
 */
export function startPassthrough(upstreamUrl: string) {
  return Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 255,
    async fetch(request) {
      const url = new URL(request.url);
      const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.text();
      const upstream = await fetch(`${upstreamUrl}${url.pathname}${url.search}`, {
        method: request.method,
        headers: { "content-type": "application/json", "x-api-key": "bench", "anthropic-version": "2023-06-01" },
        body,
        signal: request.signal,
      });
      const headers = new Headers();
      for (const name of ["content-type", "request-id"]) {
        const value = upstream.headers.get(name);
        if (value) headers.set(name, value);
      }
      return new Response(upstream.body, { status: upstream.status, headers });
    },
  });
}
