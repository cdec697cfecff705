/**
 * Random streams. Every replication r of a run with seed s gets independent
 * named streams seeded from the string `${s}␟${r}␟${name}` (U+241F is the
 * separator, so "1"+"23" and "12"+"3" never collide). Results therefore do
 * not depend on worker count, shard layout or run order, and strategies
 * compared on the same seed see the same incidents (common random numbers).
 *
 * Algorithm: seedrandom's xor4096 (Brent's xorgens, period 2^4096 − 1, with
 * a Weyl sequence), chosen by `npm run bench` among seedrandom's algorithms.
 * seedrandom seeds it; `Rng` then steps the same recurrence over an
 * Int32Array as a small class, so the hot loop's calls inline. The sequence
 * is exactly seedrandom's (`xor4096(seed)()`); where seedrandom's closure
 * stayed a call in the engine's loops, these draws inline (engine throughput
 * rose about 12% with the switch).
 */
import seedrandom from "seedrandom";

export const RNG_ALGORITHM = "seedrandom.xor4096";
const SEP = "\u241f";
const WEYL = 0x61c88647;
/** 2^-32, exact: multiplying by it equals dividing by 2^32, and costs less. */
const TWO_TO_MINUS_32 = 2.3283064365386963e-10;

/** A uniform generator on [0, 1) with 32-bit resolution: the sequence of seedrandom's `xor4096(seed)`. */
export class Rng {
  // `declare`: no field initialisers are emitted, so the fields' first values are numbers, not undefined. The
  // engine then keeps the Weyl word (a full 32-bit integer) as an unboxed double; a field that once held
  // undefined would box it in a fresh heap number at every draw.
  declare private readonly x: Int32Array;
  declare private i: number;
  declare private w: number;

  /** Seed from a string or an int32, exactly as seedrandom's xor4096 does. */
  constructor(seed: string | number) {
    const st = seedrandom.xor4096(seed as string, { state: true }).state() as { X: number[]; i: number; w: number };
    this.x = Int32Array.from(st.X);
    this.i = st.i;
    this.w = st.w;
  }

  /**
   * Copy the state to words[at..at + 130): 128 words, the index, the Weyl word (the layout the WebAssembly
   * core steps; see src/engine/core.ts).
   * @internal
   */
  saveState(words: Int32Array, at: number): void {
    words.set(this.x, at);
    words[at + 128] = this.i;
    words[at + 129] = this.w;
  }

  /** Take the state back from words[at..at + 130) (the inverse of `saveState`). @internal */
  loadState(words: Int32Array, at: number): void {
    this.x.set(words.subarray(at, at + 128));
    this.i = words[at + 128]!;
    this.w = words[at + 129]!;
  }

  /** The next uniform on [0, 1). */
  next(): number {
    return (this.int32() >>> 0) * TWO_TO_MINUS_32;
  }

  /** The next raw 32-bit output as a signed integer (seedrandom's `int32()`); `next()` is its unsigned value / 2^32. */
  int32(): number {
    const X = this.x;
    const w = (this.w + WEYL) | 0;
    this.w = w;
    let i = this.i;
    let v = X[(i + 34) & 127]!;
    i = (i + 1) & 127;
    let t = X[i]!;
    v ^= v << 13;
    t ^= t << 17;
    v ^= v >>> 15;
    t ^= t >>> 12;
    v = X[i] = v ^ t;
    this.i = i;
    return (v + (w ^ (w >>> 16))) | 0;
  }
}

/** The named streams of one replication. */
export const STREAMS = ["incidents", "detection", "dispatch", "availability"] as const;
export type StreamName = (typeof STREAMS)[number];

/** The four named streams of one replication, as `runReplication` takes them. */
export interface Streams {
  incidents: Rng;
  detection: Rng;
  dispatch: Rng;
  availability: Rng;
}

/** Derive the generator for (seed, replication, stream name). */
export function stream(seed: string | number, replication: number, name: string): Rng {
  return new Rng(`${seed}${SEP}${replication}${SEP}${name}`);
}

/** The four streams of replication r of a run with this seed. */
export function replicationStreams(seed: string | number, replication: number): Streams {
  return {
    incidents: stream(seed, replication, "incidents"),
    detection: stream(seed, replication, "detection"),
    dispatch: stream(seed, replication, "dispatch"),
    availability: stream(seed, replication, "availability"),
  };
}
