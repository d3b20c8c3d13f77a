/**
 * Text lengths as the platform counts them. The official documents give `maxLength` in JSON
 * Schema's unit, characters (Unicode code points): an emoji is one character, not the two UTF-16
 * units JavaScript's `length` (and zod's `.max`) counts, so a 250-character name with emoji is
 * accepted and a 251-character one refused.
 */
import { z } from 'zod';

/** The number of characters (code points). */
export const charLength = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/**
 * `text` repeated and cut to exactly `length` characters, never splitting one, and never ending
 * in whitespace: the worst case is about length and scripts, and a trailing space is a different
 * test (integrations and the platform trim it, so a SKU ending in one would be "not found").
 */
export function fitToLength(text: string, length: number): string {
  const unit = [...text];
  if (unit.length === 0) throw new RangeError('fitToLength needs a non-empty text to repeat.');
  const filler = unit.find((c) => c.trim() !== '');
  if (filler === undefined) throw new RangeError('fitToLength needs a text with at least one visible character.');
  const out: string[] = [];
  while (out.length < length) out.push(...unit);
  const cut = out.slice(0, length);
  for (let i = cut.length - 1; i >= 0 && cut[i]!.trim() === ''; i--) cut[i] = filler;
  return cut.join('');
}

/** A string of at most `max` characters (code points), with the message the other limits use. */
export const maxChars = (max: number, min = 0) =>
  z
    .string()
    .refine((s) => charLength(s) >= min, { message: min === 1 ? 'is required' : `must be at least ${min} characters` })
    .refine((s) => charLength(s) <= max, { message: `must be at most ${max} characters` });
