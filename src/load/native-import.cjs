// Node's own dynamic import, for loading k6 scripts through the runner's ESM loader hooks.
// It lives in a CommonJS file on purpose: a module compiled by a test runner (vitest evaluates
// modules in a vm context) rewrites or cannot run `import()`, while Node's CJS loader always can.
module.exports = (url) => import(url);
