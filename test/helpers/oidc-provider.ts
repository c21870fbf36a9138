import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** Someone at the provider: their subject and the claims their ID token carries. */
export interface ProviderAccount {
  email?: string;
  tid?: string;
  name?: string;
}

/**
 * A real OpenID provider (the `oidc-provider` package) on 127.0.0.1, with its development login
 * form: whoever types an account id there is signed in as that account. The app is its one client.
 */
export async function startOidcProvider(
  redirectUri: string,
  clientId = 'community-links',
  clientSecret = 'a client secret for tests only',
  idTokenSeconds = 3600,
) {
  const port = await freePort();
  const inner = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const network = { tamper: false };
  const accounts = new Map<string, ProviderAccount>();
  const provider = new Provider(issuer, {
    clients: [
      { client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], response_types: ['code'], grant_types: ['authorization_code'] },
    ],
    findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: () => ({ sub: id, email_verified: true, ...accounts.get(id) }) }),
    claims: { openid: ['sub', 'tid'], email: ['email', 'email_verified'], profile: ['name'] },
    // The email in the ID token itself, as Entra ID puts it there.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['cookie key for tests only'] },
    ttl: { IdToken: idTokenSeconds },
  } as never);
  const server: Server = createServer(provider.callback());
  await new Promise<void>((r) => server.listen(inner, '127.0.0.1', r));
  const front = createServer((req, res) => relay(req, res, inner, network));
  await new Promise<void>((r) => front.listen(port, '127.0.0.1', r));
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    /** While true, the network between the app and the provider changes one character of every ID token's signature. */
    network,
    stop: async () => {
      await new Promise<void>((r) => front.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/**
 * The provider's address is a relay in front of it: everything passes through untouched, except
 * that, when told to, it alters the signature of the ID token in the token endpoint's answer, as a
 * forger on the network would. The provider itself signs as it always does.
 */
function relay(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, inner: number, network: { tamper: boolean }) {
  const up = request({ host: '127.0.0.1', port: inner, method: req.method, path: req.url, headers: req.headers }, (answer) => {
    const isToken = req.method === 'POST' && (req.url ?? '').startsWith('/token');
    if (!isToken || !network.tamper) {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      return;
    }
    const chunks: Buffer[] = [];
    answer.on('data', (c: Buffer) => chunks.push(c));
    answer.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id_token?: string };
      if (body.id_token) body.id_token = body.id_token.slice(0, -2) + (body.id_token.endsWith('AA') ? 'BB' : 'AA');
      const text = JSON.stringify(body);
      const headers = { ...answer.headers, 'content-length': String(Buffer.byteLength(text)) };
      res.writeHead(answer.statusCode ?? 502, headers);
      res.end(text);
    });
  });
  req.pipe(up);
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * A person at the provider's sign-in form, over plain HTTP: from the authorization URL through the
 * login and consent screens, cookies kept as a browser keeps them, to the redirect back to the app.
 */
export async function signInAtProvider(authorizationUrl: string, accountId: string, callbackPrefix: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, ...value] = pair!.split('=');
      jar.set(name!.trim(), value.join('='));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  let url = authorizationUrl;
  for (let hop = 0; hop < 12; hop++) {
    if (url.startsWith(callbackPrefix)) return url;
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: cookie() } });
    keep(res);
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url).href;
      continue;
    }
    const html = await res.text();
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!prompt || !action) throw new Error(`unexpected page at the provider (${res.status}): ${html.slice(0, 300)}`);
    const body = new URLSearchParams(prompt === 'login' ? { prompt, login: accountId, password: 'any' } : { prompt });
    const sent = await fetch(new URL(action, url), {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    keep(sent);
    url = new URL(sent.headers.get('location')!, url).href;
  }
  throw new Error('the provider never sent the browser back');
}
