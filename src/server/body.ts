/**
 * Request bodies read with a hard size limit, so an oversized or endless upload is refused
 * with a 413 before it fills memory, and JSON errors become a 400 that says where to look.
 */
import { isUtf8 } from "node:buffer";
import { badRequest, tooLarge } from "../errors.ts";
import { parseJsonObject } from "../json.ts";

export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  return (await readBodyBytes(request, maxBytes)).toString("utf8");
}

/** The body's bytes, checked to be valid UTF-8 but not decoded (large bodies are reused as bytes). */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return Buffer.alloc(0);
  // A declared length within the limit lets Bun read the body natively in one go; only
  // chunked uploads are read piece by piece against the limit.
  if (Number.isFinite(declared)) return checkUtf8(Buffer.from(await request.arrayBuffer()));
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  return checkUtf8(Buffer.concat(chunks));
}

/**
 * Invalid UTF-8 is a client error, not something to silently replace with U+FFFD. Checked
 * apart from decoding: a fatal TextDecoder is several times slower on large bodies (it
 * allocates fresh memory every call).
 */
function checkUtf8(bytes: Buffer): Buffer {
  if (!isUtf8(bytes)) throw badRequest("Request body is not valid UTF-8; send JSON encoded as UTF-8.");
  return bytes;
}

export async function readJsonObject(request: Request, maxBytes: number): Promise<Record<string, unknown>> {
  return parseJsonObject(await readBodyText(request, maxBytes));
}
