/**
 * The HTTP side of the declared families (simulator/families): one express route per declared
 * operation, mounted under `/v2` and `/v3` after the hand-written routers, behind the same API
 * pipeline (store, token, quota, faults, ledger) and the same error middleware. Each route checks
 * its OAuth scope, normalizes the query like every route (a repeated list parameter is joined, a
 * repeated single one refused), runs the engine and writes its answer.

 */
import { Router, type Express } from 'express';
import type { Simulator } from '../../domain/simulator.ts';
import { runOperation, RESERVED_PARAMS } from '../../families/engine.ts';
import type { FamilyDecl, RouteDecl } from '../../families/model.ts';
import { expressPath, FAMILIES } from '../../families/registry.ts';
import { familyContext } from '../../families/state.ts';
import { handle, locals, requireScope } from '../middleware.ts';
import { normalizeQuery } from '../validation.ts';

/** Static segments before parameters, so `/channels/currency-assignments` is not taken for `/channels/{channel_id}`. */
const paramCount = (route: RouteDecl) => (route.path.match(/\{/g) ?? []).length;

export function createFamilyRouters(sim: Simulator, families: readonly FamilyDecl[] = FAMILIES): { v2: Router; v3: Router } {
  const routers = { v2: Router({ mergeParams: true }), v3: Router({ mergeParams: true }) };
  const env = { seed: sim.seed, clock: sim.clock, families };
  const entries = families.flatMap((family) => family.routes.map((route) => ({ family, route })));
  entries.sort((a, b) => paramCount(a.route) - paramCount(b.route));
  for (const { family, route } of entries) {
    const resource = families.flatMap((f) => f.resources).find((r) => r.name === route.resource);
    const known = new Set<string>([...RESERVED_PARAMS, ...Object.keys(route.filters ?? resource?.filters ?? {}), ...(resource?.sort?.directionParam ? [resource.sort.directionParam] : [])]);
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
    const envelope = route.envelope ?? family.envelope;
    routers[envelope][method](
      expressPath(route.path),
      requireScope(route.scope),
      handle((req, res) => {
        const { store, account } = locals(res);
        const ctx = familyContext(store, env);
        const query = normalizeQuery(req.query, known, envelope === 'v2' ? 400 : 422);
        const answer = runOperation(family, route, { params: req.params as Record<string, string>, query, body: req.body, clientId: account.clientId }, ctx);
        if (answer.body === undefined) res.status(answer.status).end();
        else res.status(answer.status).json(answer.body);
      }),
    );
  }
  return routers;
}
