/**
 * A binary min-heap of nodes that remember their own position, so any node can be removed or
 * re-keyed in O(log n). Used by the wall clock (deadlines) and by the engine's timer queue
 * (dispatch instants of passive rules): many thousands pending must stay cheap.
 */
export interface HeapNode {
  /** Position in the heap, or -1 when not in it. Owned by the heap. */
  heapIndex: number;
}

export class BinaryHeap<T extends HeapNode> {
  private readonly items: T[] = [];

  /** `before(a, b)`: a must come out before b. */
  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  has(node: T): boolean {
    return node.heapIndex >= 0 && this.items[node.heapIndex] === node;
  }

  push(node: T): void {
    node.heapIndex = this.items.length;
    this.items.push(node);
    this.up(node.heapIndex);
  }

  pop(): T | undefined {
    const top = this.items[0];
    if (top !== undefined) this.remove(top);
    return top;
  }

  remove(node: T): boolean {
    if (!this.has(node)) return false;
    const index = node.heapIndex;
    const last = this.items.pop() as T;
    node.heapIndex = -1;
    if (last !== node) {
      this.items[index] = last;
      last.heapIndex = index;
      this.down(index);
      this.up(last.heapIndex);
    }
    return true;
  }

  /** The node's key changed: restore the heap order (inserts it if absent). */
  update(node: T): void {
    if (!this.has(node)) {
      this.push(node);
      return;
    }
    this.up(node.heapIndex);
    this.down(node.heapIndex);
  }

  clear(): void {
    for (const node of this.items) node.heapIndex = -1;
    this.items.length = 0;
  }

  private up(index: number): void {
    const items = this.items;
    const node = items[index] as T;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = items[parentIndex] as T;
      if (!this.before(node, parent)) break;
      items[index] = parent;
      parent.heapIndex = index;
      index = parentIndex;
    }
    items[index] = node;
    node.heapIndex = index;
  }

  private down(index: number): void {
    const items = this.items;
    const length = items.length;
    const node = items[index] as T;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (right < length && this.before(items[right] as T, items[left] as T)) child = right;
      const childNode = items[child] as T;
      if (!this.before(childNode, node)) break;
      items[index] = childNode;
      childNode.heapIndex = index;
      index = child;
    }
    items[index] = node;
    node.heapIndex = index;
  }
}
