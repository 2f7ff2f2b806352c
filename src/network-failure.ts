/**
 * What a failed connection was, read from the runtime's error code down the cause chain: the
 * cause an operator can act on (DNS, refused, TLS, timeout, reset), and whether a retry can
 * help. A name that does not resolve, a port nobody listens on or a certificate that does not
 * verify stay so until someone fixes them, so clients are told not to retry those.
 */

export type NetworkFailureKind = "dns" | "refused" | "tls" | "timeout" | "reset" | "other";

export interface NetworkFailure {
  kind: NetworkFailureKind;
  /** The runtime's code (`ENOTFOUND`, `ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`…), when it gave one. */
  code?: string;
  /** Whether trying again, unchanged, may succeed. */
  retryable: boolean;
}

const DNS = /^(?:ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL|EAI_NODATA|ENODATA|DNSException)$/;
const REFUSED = /^(?:ECONNREFUSED|ConnectionRefused|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL)$/;
const TLS = /CERT|SSL|TLS|EPROTO|SELF_SIGNED|VERIFY|ALTNAME|HOSTNAME_MISMATCH/;
const TIMEOUT = /^(?:ETIMEDOUT|ESOCKETTIMEDOUT|UND_ERR_CONNECT_TIMEOUT|TimeoutError|23)$/;
const RESET = /^(?:ECONNRESET|EPIPE|ConnectionClosed|ECONNABORTED|UND_ERR_SOCKET)$/;

/** The error itself, then each `cause` below it (at most a few levels). */
function* chain(error: unknown): Generator<unknown> {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 6; depth++) {
    yield current;
    current = (current as { cause?: unknown }).cause;
  }
}

export function classifyNetworkFailure(error: unknown): NetworkFailure {
  for (const link of chain(error)) {
    const rawCode = (link as { code?: unknown }).code;
    const code = typeof rawCode === "string" ? rawCode : typeof rawCode === "number" ? String(rawCode) : undefined;
    const name = link instanceof Error ? link.name : "";
    if (code && DNS.test(code)) return { kind: "dns", code, retryable: false };
    if (code && REFUSED.test(code)) return { kind: "refused", code, retryable: false };
    if (code && TLS.test(code)) return { kind: "tls", code, retryable: false };
    if ((code && TIMEOUT.test(code)) || name === "TimeoutError" || name === "APIConnectionTimeoutError") return { kind: "timeout", code, retryable: true };
    if (code && RESET.test(code)) return { kind: "reset", code, retryable: true };
  }
  return { kind: "other", retryable: true };
}

/** One sentence an operator can act on, naming the host (`where`) and the code. */
export function describeNetworkFailure(failure: NetworkFailure, where: string): string {
  const code = failure.code ? ` (${failure.code})` : "";
  switch (failure.kind) {
    case "dns":
      return `the name of ${where} does not resolve${code}: check the host name and this machine's DNS`;
    case "refused":
      return `${where} refused the connection${code}: nothing listens on that address and port, or a firewall rejects it`;
    case "tls":
      return `the TLS handshake with ${where} failed${code}: check https:// versus http://, the certificate and the system's CA roots`;
    case "timeout":
      return `${where} did not answer in time${code}: check the network path, proxies and firewall`;
    case "reset":
      return `${where} closed the connection${code}`;
    default:
      return `the connection to ${where} failed${code}`;
  }
}
