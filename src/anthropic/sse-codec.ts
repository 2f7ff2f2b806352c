/**
 * Incremental Server-Sent Events decoder. Bytes may be split anywhere (inside a UTF-8
 * character, a `\r\n`, a field name); each complete event is returned once with its exact
 * raw text, so untouched events can be re-emitted byte for byte.
 */

export interface SseEvent {
  /** The event's text as received, including its terminating blank line. */
  raw: string;
  /** The `event:` field, or "message" when absent (per the SSE spec). */
  event: string;
  /** The `data:` lines joined with "\n". */
  data: string;
}

const BOUNDARY = /\r\n\r\n|\n\n|\r\r/g;

export class SseDecoder {
  private readonly decoder = new TextDecoder("utf-8");
  private buffer = "";

  /** Feeds bytes; returns the events they completed. */
  push(chunk: Uint8Array): SseEvent[] {
    this.buffer += this.decoder.decode(chunk, { stream: true });
    return this.drain();
  }

  /** Ends the stream; returns a trailing event without a final blank line, if any. */
  end(): { events: SseEvent[]; incomplete: string } {
    this.buffer += this.decoder.decode();
    const events = this.drain(true);
    const incomplete = this.buffer;
    this.buffer = "";
    return { events, incomplete };
  }

  private drain(final = false): SseEvent[] {
    const events: SseEvent[] = [];
    let start = 0;
    BOUNDARY.lastIndex = 0;
    // A lone "\r" at the end may be the first half of "\r\n": wait for more bytes.
    for (let match = BOUNDARY.exec(this.buffer); match; match = BOUNDARY.exec(this.buffer)) {
      const end = match.index + match[0].length;
      if (match[0] === "\r\r" && this.buffer[end] === "\n") continue;
      if (!final && end === this.buffer.length && this.buffer.endsWith("\r")) break;
      events.push(parseEvent(this.buffer.slice(start, end)));
      start = end;
    }
    // Slice once per chunk, not once per event: the buffer never grows past one event plus a chunk.
    if (start > 0) this.buffer = this.buffer.slice(start);
    return events;
  }
}

export function parseEvent(raw: string): SseEvent {
  // The upstream's own form, `event: NAME\ndata: JSON\n\n`, read without splitting lines.
  if (raw.startsWith("event: ")) {
    const eventEnd = raw.indexOf("\n");
    const dataEnd = raw.length - 2;
    if (eventEnd > 7 && raw.startsWith("data: ", eventEnd + 1) && raw.indexOf("\n", eventEnd + 1) === dataEnd && raw.endsWith("\n\n") && !raw.includes("\r")) {
      return { raw, event: raw.slice(7, eventEnd), data: raw.slice(eventEnd + 7, dataEnd) };
    }
  }
  let event = "message";
  const data: string[] = [];
  for (const line of raw.split(/\r\n|\r|\n/)) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  return { raw, event, data: data.join("\n") };
}

export function encodeEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
