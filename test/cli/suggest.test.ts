/** The one "did you mean" rule every command uses (src/suggest.ts). */
import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from '../../src/suggest.ts';

describe('editDistance', () => {
  it.each([
    ['reference', 'reference', 0],
    ['refrence', 'reference', 1],
    // Two neighbouring letters swapped is one slip of the fingers, not two edits.
    ['refernece', 'reference', 1],
    ['=<', '<=', 1],
    ['', 'abc', 3],
  ])('%s to %s is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closest', () => {
  const measures = ['orders.lost', 'orders.late', 'orders.expected', 'orders.skipped', 'orders.syncLatencyP95Seconds', 'orders.syncLatencyP99Seconds', 'carts.lost'];

  it('gives the clear answer alone', () => {
    expect(closest('orders.lostt', measures)).toEqual(['orders.lost']);
    expect(closest('ORDERS.LOST', measures)).toEqual(['orders.lost']);
  });

  it('completes a name cut short', () => {
    expect(closest('orders.syncLatencyP95', measures)).toEqual(['orders.syncLatencyP95Seconds']);
  });

  it('does not count a shared prefix as similarity', () => {
    expect(closest('orders.happiness', measures)).toEqual([]);
  });

  it('keeps to max and to within', () => {
    expect(closest('orders.lxst', measures, { max: 1 })).toEqual(['orders.lost']);
    expect(closest('refrence', ['reference'], { within: 0 })).toEqual([]);
  });

  it('phrases the question', () => {
    expect(didYouMean('doorbustr', ['doorbuster', 'baseline-day'])).toBe(' Did you mean "doorbuster"?');
    expect(didYouMean('zzz', ['doorbuster'])).toBe('');
    expect(didYouMean('a1', ['a2', 'a3', 'a4', 'a5'])).toBe(' Did you mean "a2", "a3" or "a4"?');
  });
});
