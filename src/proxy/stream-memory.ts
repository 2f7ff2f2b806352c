/**
 * The process-wide policy for restored streams: how many are in flight, whether a new one may
 * yield to the event loop after its first batch, and when to collect garbage. One instance is
 * shared by every stream of one app (injected, not a module global), so tests and several
 * apps in one process do not disturb each other.
 *
 * Up to `quietStreams` streams, each yields after its first batch so its first bytes leave at
 * once; beyond, with many streams in flight, letting them all interleave would hold all their
 * upstream reads in memory at once, for a first-byte gain that queueing swallows anyway.
 *
 * With more than `busyStreams` in flight, a full collection (~6 ms) runs after every
 * `collectEveryChars` restored characters. A burst of answers makes garbage faster than the
 * collector's own pace reclaims it, and peak memory is what a service's memory limit sees:
 * 2 × 64 streams that arrive whole peak at ~125 MB instead of ~165 MB, for a burst ~30 %
 * longer. Real answers arrive over seconds, so there the pauses are rare; a lone stream (the
 * latency that matters) never waits for one.
 */

export interface StreamMemoryOptions {
  quietStreams: number;
  busyStreams: number;
  collectEveryChars: number;
  /** A full, synchronous collection. */
  collect: () => void;
}

export const DEFAULT_STREAM_MEMORY: StreamMemoryOptions = {
  quietStreams: 8,
  busyStreams: 2,
  collectEveryChars: 1_000_000,
  collect: () => Bun.gc(true),
};

export class StreamMemoryPolicy {
  private active = 0;
  private restoredSinceCollect = 0;

  constructor(private readonly options: StreamMemoryOptions = DEFAULT_STREAM_MEMORY) {}

  get activeStreams(): number {
    return this.active;
  }

  /** A stream starts; the function returned ends it (later calls do nothing). */
  opened(): () => void {
    this.active++;
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      this.active--;
    };
  }

  /** Whether a stream should give the event loop a turn after its first batch. */
  mayYield(): boolean {
    return this.active <= this.options.quietStreams;
  }

  /** Counts restored output; collects when a burst has produced enough of it. */
  restored(chars: number): void {
    this.restoredSinceCollect += chars;
    if (this.active <= this.options.busyStreams || this.restoredSinceCollect < this.options.collectEveryChars) return;
    this.restoredSinceCollect = 0;
    this.options.collect();
  }
}
