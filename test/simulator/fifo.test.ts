import { describe, expect, it } from 'vitest';
import { createFifo } from '../../simulator/domain/fifo.ts';

describe('fifo queue', () => {
  it('returns items in the order they were pushed, across compactions', () => {
    const q = createFifo<number>();
    const out: number[] = [];
    for (let i = 0; i < 5_000; i++) {
      q.push(i);
      if (i % 3 === 0) out.push(q.shift()!);
    }
    while (q.size > 0) out.push(q.shift()!);
    expect(out).toEqual([...Array(5_000).keys()]);
    expect(q.shift()).toBeUndefined();
  });

  it('peeks without removing and reports its size', () => {
    const q = createFifo<string>();
    q.push('a');
    q.push('b');
    expect(q.peek()).toBe('a');
    expect(q.size).toBe(2);
    q.clear();
    expect(q.size).toBe(0);
    expect(q.peek()).toBeUndefined();
  });
});
