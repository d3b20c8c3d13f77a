import { expect, test } from 'vitest';
import { DurationError, formatGoDuration, parseDuration } from '../../src/load/durations.ts';

test.each([
  ['10s', 10_000],
  ['1m30s', 90_000],
  ['500ms', 500],
  ['1.5s', 1_500],
  ['2h', 7_200_000],
  ['1d', 86_400_000],
  ['250us', 0.25],
  ['0', 0],
  [1500, 1500],
  ['16.667ms', 16.667],
])('parses the k6 duration %j as %d ms', (text, ms) => {
  expect(parseDuration(text, 'field')).toBeCloseTo(ms, 9);
});

test.each(['-1s', '10 s', 's', '1y', '', {}])('refuses %j and names the field', (bad) => {
  expect(() => parseDuration(bad, 'scenarios.x.duration')).toThrow(DurationError);
  expect(() => parseDuration(bad, 'scenarios.x.duration')).toThrow(/scenarios\.x\.duration/);
});

// The strings k6 printed in the reference headers.
test.each([
  [40_000, '40s'],
  [60_000, '1m0s'],
  [630_000, '10m30s'],
  [632_000, '10m32s'],
  [7_000, '7s'],
  [1_500, '1.5s'],
  [500, '500ms'],
  [0, '0s'],
  [7_200_000, '2h0m0s'],
  [0.25, '250µs'],
])('formats %d ms as Go prints it: %s', (ms, text) => {
  expect(formatGoDuration(ms)).toBe(text);
});
