/**
 * A request whose URL every part of the proxy can read. Bun builds `request.url` from the Host
 * header: without a usable one (HTTP/1.0, an empty or malformed Host) it is the bare path
 * (`/health`), which `new URL` refuses; with a Host shorter than four characters
 * (`http://a/health`) Elysia, which takes the path to start at the first `/` from index 11,
 * routes the wrong path. Such a request is rebuilt on a fixed origin, with the same path and
 * query, method, headers, body and abort signal; routing never depends on the Host header.
 */
import { badRequest } from "../errors.ts";

/** The origin a rebuilt request gets: long enough for Elysia's path lookup, and never resolved. */
export const FIXED_ORIGIN = "http://localhost";

/** Where Elysia looks for the first `/` of the path (`"http://" + 4 characters`). */
const ELYSIA_PATH_FROM = 11;

/** The path and query the client asked for: everything from the first `/` after the authority. */
function requestTarget(url: string): string {
  if (url.startsWith("/")) return url;
  const authority = url.indexOf("://");
  const slash = authority === -1 ? -1 : url.indexOf("/", authority + 3);
  return slash === -1 ? "/" : url.slice(slash);
}

const parses = (url: string) => {
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
};

/** The request itself when its URL is readable as it is, otherwise the same request on FIXED_ORIGIN. */
export function routableRequest(request: Request): Request {
  const url = request.url;
  const target = requestTarget(url);
  const pathStart = url.length - target.length;
  if (!url.startsWith("/") && pathStart >= ELYSIA_PATH_FROM && parses(url)) return request;
  const rebuilt = FIXED_ORIGIN + target;
  if (!parses(rebuilt)) throw badRequest("The request target is not a valid URL path; send a path such as /v1/messages.");
  return new Request(rebuilt, request);
}
