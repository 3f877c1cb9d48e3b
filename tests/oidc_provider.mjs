// A real OpenID provider (the certified npm package oidc-provider) on the loopback, for the single sign-on
// tests (tests/oidc.py starts it). It listens on a free port and prints the port on its first line.
//
// - One client: the id, secret and redirect URI come from OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and
//   OIDC_REDIRECT_URI; PKCE is required of it.
// - The people who can log in are a fixed table below. The login is not a form: the test opens the
//   interaction page with ?account=<id> to log in as that person, and consent is given at once.
// - Two hooks stand for what an administrator of the provider (or an attacker in between) could do:
//   POST /test/accounts/<id> replaces a person's claims (their groups changed), and POST /test/next-id-token
//   changes the claims of the next ID token the token endpoint hands out, re-signed with the provider's own
//   key, or with a stranger's key under the provider's key id ({"claims": {...}, "stranger": true}).
import http from 'node:http';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const ACCOUNTS = new Map(Object.entries({
  anne: {
    email: 'anne.medarbejder@fsb.example', email_verified: true, name: 'Anne Andersen',
    given_name: 'Anne', family_name: 'Andersen', groups: ['fsb-boligsocial-staff', 'fsb-alle'],
  },
  sofie: {
    email: 'sofie.sekretariat@fsb.example', email_verified: true, name: 'Sofie Sørensen',
    given_name: 'Sofie', family_name: 'Sørensen', groups: ['fsb-sekretariat'],
  },
  uden: {
    email: 'uden.gruppe@fsb.example', email_verified: true, name: 'Ulrik Udengruppe',
    given_name: 'Ulrik', family_name: 'Udengruppe', groups: ['fsb-alle'],
  },
}));

const KEY_ID = 'provider-key';
const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const { privateKey: strangerKey } = await jose.generateKeyPair('RS256');
const signingKey = { ...(await jose.exportJWK(privateKey)), kid: KEY_ID, alg: 'RS256', use: 'sig' };

let nextIdToken = null;

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

async function tampered(idToken, { claims = {}, stranger = false }) {
  const payload = { ...jose.decodeJwt(idToken), ...claims };
  return new jose.SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', kid: KEY_ID, typ: 'JWT' })
    .sign(stranger ? strangerKey : privateKey);
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const provider = new Provider(`http://127.0.0.1:${port}`, {
    clients: [{
      client_id: process.env.OIDC_CLIENT_ID,
      client_secret: process.env.OIDC_CLIENT_SECRET,
      redirect_uris: [process.env.OIDC_REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    }],
    pkce: { required: () => true },
    jwks: { keys: [signingKey] },
    cookies: { keys: ['test-cookie-key'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    // As Entra ID does, the groups and the person's details travel in the ID token.
    claims: {
      openid: ['sub', 'groups'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name'],
    },
    conformIdTokenClaims: false,
    async findAccount(ctx, id) {
      if (!ACCOUNTS.has(id)) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...ACCOUNTS.get(id) }) };
    },
  });

  provider.use(async (ctx, next) => {
    const interaction = ctx.path.match(/^\/interaction\/([^/]+)$/);
    const account = ctx.path.match(/^\/test\/accounts\/([^/]+)$/);
    if (interaction && ctx.method === 'GET') {
      const { prompt, params, session } = await provider.interactionDetails(ctx.req, ctx.res);
      let result;
      if (prompt.name === 'login') {
        if (!ACCOUNTS.has(ctx.query.account)) {
          ctx.status = 400;
          ctx.body = 'unknown account';
          return;
        }
        result = { login: { accountId: ctx.query.account } };
      } else {
        const grant = new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
        grant.addOIDCScope(params.scope);
        result = { consent: { grantId: await grant.save() } };
      }
      ctx.status = 303;
      ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result));
    } else if (account && ctx.method === 'POST') {
      ACCOUNTS.set(account[1], await readJson(ctx.req));
      ctx.status = 204;
    } else if (ctx.path === '/test/next-id-token' && ctx.method === 'POST') {
      nextIdToken = await readJson(ctx.req);
      ctx.status = 204;
    } else {
      await next();
      if (ctx.path === '/token' && nextIdToken && ctx.body?.id_token) {
        ctx.body = { ...ctx.body, id_token: await tampered(ctx.body.id_token, nextIdToken) };
        nextIdToken = null;
      }
    }
  });

  server.on('request', provider.callback());
  process.stdout.write(`${port}\n`);
});
