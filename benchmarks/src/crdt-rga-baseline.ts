/**
 * A plain RGA (Roh et al., "Replicated abstract data types", 2011), only as the measured
 * alternative to Yjs for the sequence engine decision (SPEC.md §9.6): one item per element,
 * a tombstone per delete, an insert placed after its left origin and before siblings with
 * smaller ids. Not part of the crdt package.
 */
export interface RgaItem { id: string, seq: number, replica: string, after: string, value: string, deleted: boolean }

export class Rga {
  readonly items: RgaItem[] = []
  private seq = 0

  constructor (readonly replica: string) {}

  /** Local insert at visible position `index`: returns the operation to ship */
  insert (index: number, value: string): RgaItem {
    let visible = 0
    let after = ''
    for (const item of this.items) {
      if (visible === index) {
        break
      }
      if (!item.deleted) {
        visible++
      }
      after = item.id
    }
    const item = { id: `${++this.seq}@${this.replica}`, seq: this.seq, replica: this.replica, after, value, deleted: false }
    this.integrate(item)
    return item
  }

  /** Place a (local or remote) insert: after its origin, skipping concurrent siblings that win */
  integrate (op: RgaItem): void {
    let i = op.after === '' ? 0 : this.items.findIndex(x => x.id === op.after) + 1
    while (i < this.items.length && this.items[i].after === op.after && (this.items[i].seq > op.seq || (this.items[i].seq === op.seq && this.items[i].replica > op.replica))) {
      i++
    }
    this.items.splice(i, 0, { ...op })
  }

  toString (): string {
    return this.items.filter(x => !x.deleted).map(x => x.value).join('')
  }

  /** Bytes of a compact binary encoding: id (u32 seq + replica index), origin, one UTF-8 char */
  encodedBytes (): number {
    return this.items.length * (4 + 2 + 6 + 1)
  }
}
