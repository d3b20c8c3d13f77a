/** Lengths in characters, and worst-case text that is long without ending in whitespace. */
import { expect, it } from 'vitest';
import { charLength, fitToLength } from '../../simulator/domain/text.ts';

it('counts an emoji as one character, as the documents count maxLength', () => {
  expect(charLength('a🎁b')).toBe(3);
  expect('a🎁b'.length).toBe(4);
});

it('fits text to an exact length without splitting a character or ending in whitespace', () => {
  const sku = fitToLength('weiß 🎁 ', 10);
  expect(charLength(sku)).toBe(10);
  expect(sku.trimEnd()).toBe(sku);
  expect(fitToLength('ab ', 3)).toBe('aba');
  expect(() => fitToLength('   ', 3)).toThrow(RangeError);
});
