/**
 * `POST /oauth2/token`: the token exchange of the single-click app OAuth flow, served on
 * login.bigcommerce.com by the platform and path-based here (the same app answers whatever the
 * Host, so with `--tls` it is reachable at https://login.bigcommerce.com/oauth2/token). The body is
 * JSON or form-encoded ("Content-Type: application/json" in the docs' example; OAuth clients
 * commonly send form bodies). The rules are the domain's (simulator/domain/apps.ts); errors are
 * RFC 6749 `{error, error_description}` (errors.ts, version "oauth").
 */
import express, { Router } from 'express';
import type { Simulator } from '../../domain/simulator.ts';
import { handle } from '../middleware.ts';

const LIMIT = '64kb';

export function createOAuthRouter(sim: Simulator): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: LIMIT });
  // Anything not form-encoded is read as JSON, as the API does for clients that forget the type.
  const json = express.json({ limit: LIMIT, type: (req) => !/application\/x-www-form-urlencoded/i.test(String(req.headers['content-type'] ?? '')) });
  router.post(
    '/oauth2/token',
    form,
    json,
    handle((req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json(sim.apps.exchange(req.body));
    }),
  );
  return router;
}
