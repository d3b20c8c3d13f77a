import { describe, expect, it } from 'vitest';
import { API_BACKOFF, backoffDelay, classifyStatus, mayRetry, retryAfterMs, WRITE_BACKOFF } from '../../src/engine/retry.ts';

describe('classifyStatus', () => {
  it.each([
    [200, false, 'ok'],
    [201, false, 'ok'],
    [204, false, 'ok'],
    [429, true, 'rate-limited'],
    [429, false, 'transient'],
    [408, false, 'transient'],
    [500, false, 'transient'],
    [502, false, 'transient'],
    [503, true, 'transient'],
    [400, false, 'permanent'],
    [401, false, 'permanent'],
    [404, false, 'permanent'],
    [409, false, 'permanent'],
    [413, false, 'permanent'],
    [422, false, 'permanent'],
    [302, false, 'permanent'],
  ] as const)('HTTP %i (rate-limit headers: %s) is %s', (status, headers, outcome) => {
    expect(classifyStatus(status, headers)).toBe(outcome);
  });
});

describe('backoffDelay: full jitter, exponential, capped', () => {
  const policy = { baseMs: 1_000, capMs: 60_000, maxAttempts: 6 };
  it.each([
    // failures, random, expected delay: random() * min(cap, base * 2^(failures-1))
    [1, 0.999999, 999],
    [1, 0.5, 500],
    [2, 0.5, 1_000],
    [3, 0.5, 2_000],
    [6, 0.5, 16_000],
    [7, 0.5, 30_000],
    [8, 0.999999, 59_999],
    [30, 0.999999, 59_999],
    [4, 0, 0],
  ])('after %i failure(s) with random %d waits %i ms', (failures, r, expected) => {
    expect(backoffDelay(failures, policy, () => r)).toBe(expected);
  });

  it('never exceeds the cap and spreads retries over the whole range', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const delays = Array.from({ length: 2000 }, () => backoffDelay(20, WRITE_BACKOFF, random));
    expect(Math.max(...delays)).toBeLessThan(WRITE_BACKOFF.capMs);
    expect(Math.min(...delays)).toBeLessThan(WRITE_BACKOFF.capMs * 0.05);
    expect(delays.filter((d) => d > WRITE_BACKOFF.capMs / 2).length).toBeGreaterThan(800);
  });
});

describe('mayRetry bounds the tries', () => {
  it.each([
    [1, API_BACKOFF, true],
    [5, API_BACKOFF, true],
    [6, API_BACKOFF, false],
    [29, WRITE_BACKOFF, true],
    [30, WRITE_BACKOFF, false],
  ] as const)('after %i failures: %s', (failures, policy, allowed) => {
    expect(mayRetry(failures, policy)).toBe(allowed);
  });
});

describe('retryAfterMs', () => {
  it.each([
    ['30', 30_000],
    ['0', 0],
    ['1.5', 1_500],
    [undefined, undefined],
    ['', undefined],
    ['soon', undefined],
  ])('%j -> %j ms', (value, expected) => {
    expect(retryAfterMs(value)).toBe(expected);
  });
  it('reads an HTTP date relative to now', () => {
    expect(retryAfterMs('Fri, 27 Nov 2026 12:00:10 GMT', Date.UTC(2026, 10, 27, 12, 0, 0))).toBe(10_000);
  });
});

describe('describeError: one readable line for the dead-letter queue', () => {
  it.each([
    [422, '{"errors":[{"field":"lines[0].sku","message":"unknown item"}]}', 'HTTP 422 lines[0].sku: unknown item'],
    [422, { status: 422, title: 'Cannot refund 1 of order product 23.', type: '/x', errors: { 'items[0].quantity': 'exceeds the refundable quantity' } }, 'HTTP 422 Cannot refund 1 of order product 23.; items[0].quantity: exceeds the refundable quantity'],
    [404, [{ status: 404, message: 'The requested resource was not found.' }], 'HTTP 404 The requested resource was not found.'],
    [502, 'Bad Gateway', 'HTTP 502 Bad Gateway'],
    [500, '', 'HTTP 500'],
  ])('HTTP %i %j', async (status, body, expected) => {
    const { describeError } = await import('../../src/engine/http.ts');
    expect(describeError(status, body)).toBe(expected);
  });
});
