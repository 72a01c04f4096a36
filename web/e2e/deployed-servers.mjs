// Loopback stand-ins for what a browser meets of the deployed platform, each
// built from testdata/deployed-shape.json (generated from the synthesized
// CDK templates by infra's TestDeployedShape):
//   - CloudFront: web/dist with exactly the response-headers policy's
//     headers, SPA routing (unknown paths serve index.html) and the
//     config.json the WebConfig stack writes;
//   - the Cognito hosted UI: /oauth2/authorize (a sign-in form) and
//     /oauth2/token (authorization code with PKCE S256, refresh token),
//     issuing RS256 ID and access tokens, with the JWKS on plain HTTP for
//     the Go server;
//   - API Gateway (HTTP API): the synthesized routes with the JWT
//     authorizer and the CORS configuration, answering preflights itself and
//     proxying everything else to `bulwark serve --auth jwt`.
// The browser reaches them under their real host names through
// --host-resolver-rules, over TLS with a throwaway self-signed certificate.
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { DIST } from './lib.mjs';

export const SHAPE_FILE = new URL('./testdata/deployed-shape.json', import.meta.url).pathname;

/** loadShape reads the deployed shape (BULWARK_DEPLOYED_SHAPE overrides the file, e.g. one generated from older code). */
export function loadShape() {
  return JSON.parse(readFileSync(process.env.BULWARK_DEPLOYED_SHAPE || SHAPE_FILE, 'utf8'));
}

export const b64url = (buf) => Buffer.from(buf).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** selfSignedCert makes a throwaway key and certificate for the given host names. */
export function selfSignedCert(hosts) {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=bulwark-e2e',
      '-addext', `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}`,
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function listen(server) {
  return new Promise((res, rej) => {
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => res(server.address().port));
  });
}

function close(server) {
  server.closeAllConnections?.();
  return new Promise((res) => server.close(() => res()));
}

async function body(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks);
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.woff': 'font/woff', '.txt': 'text/plain', '.webmanifest': 'application/manifest+json' };

/**
 * startCloudFront serves web/dist over TLS like the Web stack's
 * distribution: every response carries exactly shape.webHeaders; a path
 * that is no file serves /index.html with 200 (the 403/404 error
 * responses); /config.json is what the WebConfig stack writes.
 */
export async function startCloudFront(shape, tls) {
  const config = JSON.stringify({
    apiUrl: shape.apiUrl,
    region: shape.region,
    userPoolId: shape.userPoolId,
    userPoolClientId: shape.audience,
    tenantClaim: 'custom:tenant',
    cognitoDomain: shape.hostedUiOrigin,
  });
  const server = createHttpsServer(tls, (req, res) => {
    for (const [k, v] of Object.entries(shape.webHeaders)) res.setHeader(k, v);
    const path = decodeURIComponent(new URL(req.url, 'https://x').pathname);
    if (path === '/config.json') {
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('Cache-Control', 'no-cache');
      return res.end(config);
    }
    let file = join(DIST, normalize(path).replace(/^(\.\.[/\\])+/, ''));
    if (!file.startsWith(DIST) || !existsSync(file) || statSync(file).isDirectory()) file = join(DIST, 'index.html');
    res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
    res.end(readFileSync(file));
  });
  const port = await listen(server);
  return { port, stop: () => close(server) };
}

/**
 * startHostedUi is a fake Cognito hosted UI and token endpoint for one app
 * client: authorize shows a sign-in form and redirects back with a code;
 * token exchanges the code after checking client, redirect URI and the
 * PKCE S256 verifier, and issues RS256 tokens (iss = shape.issuer). The
 * JWKS is served on a second, plain-HTTP listener for the Go server.
 */
export async function startHostedUi(shape, tls, { user = 'alice@example.com', tenant = 'acme', groups = ['admin'] } = {}) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = b64url(randomBytes(8));
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  const codes = new Map();
  const refreshTokens = new Map();
  const tokenRequests = [];
  const authorizeRequests = [];
  const now = () => Math.floor(Date.now() / 1000);
  const jwt = (claims) => {
    const head = b64url(JSON.stringify({ alg: 'RS256', kid, typ: 'JWT' }));
    const payload = b64url(JSON.stringify(claims));
    return `${head}.${payload}.${b64url(sign('sha256', Buffer.from(`${head}.${payload}`), privateKey))}`;
  };
  const tokens = (sub) => {
    const common = { sub, iss: shape.issuer, iat: now(), exp: now() + 3600, 'cognito:groups': groups };
    const refresh = b64url(randomBytes(24));
    refreshTokens.set(refresh, sub);
    return {
      id_token: jwt({ ...common, aud: shape.audience, token_use: 'id', 'cognito:username': user, email: user, 'custom:tenant': tenant }),
      access_token: jwt({ ...common, client_id: shape.audience, token_use: 'access', username: user }),
      refresh_token: refresh,
      expires_in: 3600,
      token_type: 'Bearer',
    };
  };
  const json = (res, status, v, origin) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...(origin ? { 'Access-Control-Allow-Origin': origin } : {}) });
    res.end(JSON.stringify(v));
  };

  const server = createHttpsServer(tls, async (req, res) => {
    const url = new URL(req.url, shape.hostedUiOrigin);
    if (req.method === 'GET' && url.pathname === '/oauth2/authorize') {
      const p = Object.fromEntries(url.searchParams);
      authorizeRequests.push(p);
      const bad = p.response_type !== 'code' ? 'response_type' : p.client_id !== shape.audience ? 'client_id'
        : p.redirect_uri !== `${shape.webOrigin}/` ? 'redirect_uri' : p.code_challenge_method !== 'S256' ? 'code_challenge_method'
          : !/^[A-Za-z0-9_-]{43}$/.test(p.code_challenge ?? '') ? 'code_challenge' : '';
      if (bad) return json(res, 400, { error: 'invalid_request', error_description: bad });
      const q = new URLSearchParams(p);
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      return res.end(`<!doctype html><title>Sign in</title><form method="post" action="/login?${q}">
        <input name="username" data-testid="hosted-username"><input name="password" type="password" data-testid="hosted-password">
        <button data-testid="hosted-sign-in">Sign in</button></form>`);
    }
    if (req.method === 'POST' && url.pathname === '/login') {
      const p = Object.fromEntries(url.searchParams);
      const code = b64url(randomBytes(16));
      codes.set(code, { challenge: p.code_challenge, redirectUri: p.redirect_uri, clientId: p.client_id, sub: 'u-' + user });
      const back = new URL(p.redirect_uri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', p.state);
      res.writeHead(302, { Location: back.href });
      return res.end();
    }
    if (url.pathname === '/oauth2/token') {
      const origin = req.headers.origin;
      if (req.method !== 'POST') return json(res, 405, { error: 'invalid_request' }, origin);
      const form = Object.fromEntries(new URLSearchParams((await body(req)).toString()));
      tokenRequests.push(form);
      if (form.client_id !== shape.audience) return json(res, 400, { error: 'invalid_client' }, origin);
      if (form.grant_type === 'authorization_code') {
        const c = codes.get(form.code);
        codes.delete(form.code);
        if (!c || c.redirectUri !== form.redirect_uri || c.clientId !== form.client_id) return json(res, 400, { error: 'invalid_grant' }, origin);
        if (b64url(createHash('sha256').update(form.code_verifier ?? '').digest()) !== c.challenge) return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verifier' }, origin);
        return json(res, 200, tokens(c.sub), origin);
      }
      if (form.grant_type === 'refresh_token' && refreshTokens.has(form.refresh_token)) {
        const t = tokens(refreshTokens.get(form.refresh_token));
        delete t.refresh_token;
        return json(res, 200, t, origin);
      }
      return json(res, 400, { error: 'unsupported_grant_type' }, origin);
    }
    json(res, 404, { error: 'not found' });
  });
  const jwks = createHttpServer((req, res) => json(res, 200, { keys: [jwk] }));
  const port = await listen(server);
  const jwksPort = await listen(jwks);
  return {
    port,
    jwksUrl: `http://127.0.0.1:${jwksPort}/.well-known/jwks.json`,
    tokenRequests,
    authorizeRequests,
    /** idToken mints an ID token for direct API calls in assertions. */
    idToken: () => tokens('u-' + user).id_token,
    /** verifyJwt checks a token as the HTTP API's JWT authorizer does: signature, issuer, audience, expiry. */
    verifyJwt(token) {
      const [h, p, s] = (token ?? '').split('.');
      if (!s) return false;
      const ok = verify('sha256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
      if (!ok) return false;
      const c = JSON.parse(Buffer.from(p, 'base64url').toString());
      return c.iss === shape.issuer && (c.aud === shape.audience || c.client_id === shape.audience) && c.exp > now();
    },
    stop: async () => {
      await close(server);
      await close(jwks);
    },
  };
}

/** routeMatches reports whether an HTTP API route key's path matches path. */
function pathMatches(pattern, path) {
  const ps = pattern.split('/').filter(Boolean);
  const xs = path.split('/').filter(Boolean);
  for (let i = 0; i < ps.length; i++) {
    if (/^\{.+\+\}$/.test(ps[i])) return xs.length > i; // greedy: one or more segments
    if (i >= xs.length) return false;
    if (!/^\{.+\}$/.test(ps[i]) && ps[i] !== xs[i]) return false;
  }
  return ps.length === xs.length;
}

/**
 * selectRoute picks the route API Gateway would: a route whose method and
 * path match, the most specific first (greedy paths last), else $default.
 */
export function selectRoute(routes, method, path) {
  const specificity = (key) => {
    const p = key.split(' ')[1];
    return (p.includes('+}') ? 0 : 1000) + p.split('/').filter((s) => s && !s.startsWith('{')).length;
  };
  const matching = routes
    .filter((r) => r.routeKey !== '$default')
    .filter((r) => {
      const [m, p] = r.routeKey.split(' ');
      return (m === 'ANY' || m === method) && pathMatches(p, path);
    })
    .sort((a, b) => specificity(b.routeKey) - specificity(a.routeKey));
  return matching[0] ?? routes.find((r) => r.routeKey === '$default') ?? null;
}

/**
 * startApiGateway answers like the synthesized HTTP API in front of the
 * api function (the Go server at backend): the route's JWT authorizer
 * rejects a request without a valid bearer token with 401 before anything
 * else; with a CORS configuration, API Gateway answers preflight OPTIONS
 * requests itself and puts the configured CORS headers on every other
 * response, ignoring the backend's ("Configure CORS for HTTP APIs", API
 * Gateway developer guide).
 */
export async function startApiGateway(shape, tls, backend, verifyJwt) {
  const cors = shape.cors;
  const log = [];
  const allowed = (origin) => !!origin && cors?.allowOrigins?.some((o) => o === '*' || o === origin);
  const server = createHttpsServer(tls, async (req, res) => {
    const url = new URL(req.url, shape.apiUrl);
    const origin = req.headers.origin;
    const preflight = req.method === 'OPTIONS' && origin && req.headers['access-control-request-method'];
    const route = selectRoute(shape.routes, req.method, url.pathname);
    const entry = { method: req.method, path: url.pathname, route: route?.routeKey, preflight: !!preflight };
    log.push(entry);
    const corsHeaders = {};
    if (cors && allowed(origin)) {
      corsHeaders['access-control-allow-origin'] = cors.allowOrigins.includes('*') ? '*' : origin;
      if (cors.exposeHeaders?.length) corsHeaders['access-control-expose-headers'] = cors.exposeHeaders.join(',');
      if (cors.allowCredentials) corsHeaders['access-control-allow-credentials'] = 'true';
    }
    if (!route) {
      entry.status = 404;
      res.writeHead(404, { 'content-type': 'application/json', ...corsHeaders });
      return res.end('{"message":"Not Found"}');
    }
    if (route.authorizationType === 'JWT') {
      const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
      if (!m || !verifyJwt(m[1])) {
        entry.status = 401;
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer', ...corsHeaders });
        return res.end('{"message":"Unauthorized"}');
      }
    }
    if (preflight && cors) {
      entry.status = 204;
      const h = { ...corsHeaders };
      delete h['access-control-expose-headers'];
      if (allowed(origin)) {
        h['access-control-allow-methods'] = cors.allowMethods.join(',');
        h['access-control-allow-headers'] = cors.allowHeaders.join(',');
        if (cors.maxAge) h['access-control-max-age'] = String(cors.maxAge);
      }
      res.writeHead(204, h);
      return res.end();
    }
    const payload = await body(req);
    const headers = { ...req.headers, host: `127.0.0.1:${backend.port}` };
    const up = httpRequest({ host: '127.0.0.1', port: backend.port, method: req.method, path: url.pathname + url.search, headers }, (r) => {
      const out = {};
      for (const [k, v] of Object.entries(r.headers)) if (!k.startsWith('access-control-')) out[k] = v;
      entry.status = r.statusCode;
      res.writeHead(r.statusCode, { ...out, ...corsHeaders });
      r.pipe(res);
    });
    up.on('error', (e) => {
      entry.status = 502;
      res.writeHead(502, corsHeaders);
      res.end(String(e));
    });
    up.end(payload);
  });
  const port = await listen(server);
  return { port, log, stop: () => close(server) };
}
