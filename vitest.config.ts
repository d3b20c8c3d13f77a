import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Servers run on loopback port 0; two cores, so keep workers bounded.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // expect.poll waits for something another thread or process does (a webhook reaching a
    // receiver, a child writing a file). Its 1 s default fails on a machine busy with other work;
    // a poll that succeeds returns at once, so a longer bound costs a passing test nothing.
    expect: { poll: { timeout: 10_000 } },
  },
});
