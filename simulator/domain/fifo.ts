/**
 * A first-in first-out queue with O(1) push and shift. `Array.prototype.shift` is O(n), which
 * made webhook delivery slow down as thousands of deliveries queued behind a busy destination.
 */
export interface Fifo<T> {
  push(item: T): void;
  shift(): T | undefined;
  peek(): T | undefined;
  readonly size: number;
  clear(): void;
}

export function createFifo<T>(): Fifo<T> {
  let items: (T | undefined)[] = [];
  let head = 0;
  return {
    push(item) {
      items.push(item);
    },
    shift() {
      if (head >= items.length) return undefined;
      const item = items[head];
      items[head++] = undefined;
      // Compact once the consumed prefix dominates, so memory follows the live size.
      if (head === items.length) {
        items = [];
        head = 0;
      } else if (head > 1024 && head * 2 > items.length) {
        items = items.slice(head);
        head = 0;
      }
      return item;
    },
    peek() {
      return head < items.length ? items[head] : undefined;
    },
    get size() {
      return items.length - head;
    },
    clear() {
      items = [];
      head = 0;
    },
  };
}
