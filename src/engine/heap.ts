/**
 * A binary min-heap of (time, payload) pairs over typed arrays — the event
 * queue of the replication loop. Grows by doubling (rarely, never in the
 * steady state); pushing and popping allocate nothing.
 */
export interface EventHeap {
  time: Float64Array;
  item: Int32Array;
  size: number;
}

export function createHeap(capacity = 1024): EventHeap {
  return { time: new Float64Array(capacity), item: new Int32Array(capacity), size: 0 };
}

export function heapPush(h: EventHeap, t: number, v: number): void {
  if (h.size === h.time.length) {
    const time = new Float64Array(h.size * 2),
      item = new Int32Array(h.size * 2);
    time.set(h.time);
    item.set(h.item);
    h.time = time;
    h.item = item;
  }
  const T = h.time,
    I = h.item;
  let i = h.size++;
  // Equal times pop in payload order, so runs are reproducible.
  while (i > 0) {
    const p = (i - 1) >> 1;
    const pt = T[p]!;
    if (pt < t || (pt === t && I[p]! <= v)) break;
    T[i] = pt;
    I[i] = I[p]!;
    i = p;
  }
  T[i] = t;
  I[i] = v;
}

/** Remove the earliest event; read it first from `time[0]`, `item[0]`. */
export function heapPop(h: EventHeap): void {
  const T = h.time,
    I = h.item;
  const n = --h.size;
  if (n === 0) return;
  const t = T[n]!,
    v = I[n]!;
  let i = 0;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && (T[c + 1]! < T[c]! || (T[c + 1] === T[c] && I[c + 1]! < I[c]!))) c++;
    if (T[c]! > t || (T[c] === t && I[c]! >= v)) break;
    T[i] = T[c]!;
    I[i] = I[c]!;
    i = c;
  }
  T[i] = t;
  I[i] = v;
}
