/**
 * The harness end of ALERT_URL: an HTTP endpoint on loopback that records every request the
 * integration sends (any path under it, any JSON or text body) with the simulated time it
 * arrived, in memory and as JSON Lines in the run directory. It answers 202 at once, so an
 * integration's alerting is never slowed down by the harness.
 */
import { appendPrivateFile, writePrivateFile } from '../../lib/private-files.ts';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../lib/clock.ts';
import type { AlertLine } from '../verify/inputs.ts';

export interface AlertSink {
  url: string;
  lines: AlertLine[];
  /** Called for each request (progress counts dead letters). */
  onAlert(listener: (line: AlertLine) => void): void;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

export async function createAlertSink(options: { clock: Clock; file?: string }): Promise<AlertSink> {
  const lines: AlertLine[] = [];
  // The file exists from the start: an empty one is the record that nothing was reported.
  if (options.file) writePrivateFile(options.file, '');
  const listeners: ((line: AlertLine) => void)[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      if (req.method !== 'POST' && req.method !== 'PUT') {
        res.writeHead(405, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'POST alerts as JSON to this URL' }));
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // A plain-text alert is still an alert.
      }
      const line: AlertLine = { at: new Date(options.clock.now()).toISOString(), path: req.url ?? '/', body };
      lines.push(line);
      if (options.file) appendPrivateFile(options.file, `${JSON.stringify(line)}\n`);
      for (const l of listeners) l(line);
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    lines,
    onAlert: (l) => void listeners.push(l),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
