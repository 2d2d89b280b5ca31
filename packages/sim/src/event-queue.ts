/**
 * A binary min-heap of events ordered by (time, seq). `seq` is a global
 * insertion counter, so events at the same virtual time run in the order they
 * were scheduled: the simulator is deterministic for a given seed.
 */
export interface QueuedEvent {
  time: number
  seq: number
}

/** Omit that distributes over a union of event shapes */
export type WithoutSeq<E> = E extends unknown ? Omit<E, 'seq'> : never

export class EventQueue<E extends QueuedEvent> {
  private readonly heap: E[] = []
  private counter = 0

  get size (): number {
    return this.heap.length
  }

  /** Assigns the next sequence number and inserts */
  push (event: WithoutSeq<E>): void {
    const e = event as unknown as E
    e.seq = this.counter++
    const heap = this.heap
    heap.push(e)
    let i = heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!less(heap[i], heap[parent])) {
        break
      }
      const tmp = heap[i]
      heap[i] = heap[parent]
      heap[parent] = tmp
      i = parent
    }
  }

  peek (): E | undefined {
    return this.heap[0]
  }

  pop (): E | undefined {
    const heap = this.heap
    if (heap.length === 0) {
      return undefined
    }
    const top = heap[0]
    const last = heap.pop() as E
    if (heap.length > 0) {
      heap[0] = last
      let i = 0
      const n = heap.length
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let smallest = i
        if (l < n && less(heap[l], heap[smallest])) {
          smallest = l
        }
        if (r < n && less(heap[r], heap[smallest])) {
          smallest = r
        }
        if (smallest === i) {
          break
        }
        const tmp = heap[i]
        heap[i] = heap[smallest]
        heap[smallest] = tmp
        i = smallest
      }
    }
    return top
  }
}

function less (a: QueuedEvent, b: QueuedEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq)
}
