/**
 * The local digital-identity provider: a real OpenID Connect server (`oidc-provider`) standing in
 * for the province's or the national identity provider (ThaiNguyen ID, VNeID). It serves
 * discovery, its JWKS, the authorization endpoint (code flow, PKCE S256 required) and the token
 * endpoint, with a few demo citizens: the interaction page (in Vietnamese, a plain HTML form)
 * lets the person at the keyboard choose who signs in. Some citizens carry the phones of the demo
 * households so that the linking flow can be tried on the demo accounts. Never served in AWS.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

export interface DemoCitizen {
  /** The provider's subject: opaque, stable. */
  sub: string;
  name: string;
  /** Shown on the choice page only, to tell which demo account the citizen goes with. */
  phone?: string;
  note: string;
}

export const DEMO_CITIZENS: readonly DemoCitizen[] = [
  {
    sub: 'tnid-7f3a21c9',
    name: 'Nguyễn Văn Thành',
    phone: '0987 000 201',
    note: 'Hộ trồng chè, thành viên HTX Chè Tân Cương Xanh',
  },
  {
    sub: 'tnid-2b8e4d10',
    name: 'Trần Thị Hòa',
    phone: '0912 000 101',
    note: 'Quản lý HTX Chè Tân Cương Xanh',
  },
  { sub: 'tnid-9c5f6e02', name: 'Hoàng Văn Dũng', phone: '0987 000 203', note: 'Hộ độc lập' },
  { sub: 'tnid-41d7a8b3', name: 'Lương Thị Mai', note: 'Công dân chưa có tài khoản trên sàn' },
  { sub: 'tnid-c0e19f44', name: 'Đinh Quang Khải', note: 'Công dân chưa có tài khoản trên sàn' },
];

export interface IdentityClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface IdentityProviderOptions {
  port: number;
  host?: string;
  clients: IdentityClient[];
  citizens?: readonly DemoCitizen[];
}

export interface RunningIdentityProvider {
  /** The issuer (and base URL), e.g. http://127.0.0.1:8085 */
  issuer: string;
  citizens: readonly DemoCitizen[];
  stop(): Promise<void>;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

const PAGE_STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:0 auto;padding:1rem;color:#1a2433}' +
  'fieldset{border:1px solid #c7d0dc;border-radius:8px;padding:.5rem .75rem}' +
  'label{display:flex;gap:.5rem;align-items:flex-start;padding:.5rem 0;min-height:44px}' +
  'button{font:inherit;min-height:44px;padding:.5rem 1rem;border-radius:8px;border:1px solid #1d4f91;margin:.75rem .5rem 0 0}' +
  '.primary{background:#1d4f91;color:#fff}.note{color:#4a5666;font-size:.9rem}';

function page(title: string, body: string): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${PAGE_STYLE}</style></head><body>${body}</body></html>`;
}

function choicePage(uid: string, citizens: readonly DemoCitizen[]): string {
  const options = citizens
    .map(
      (c, i) =>
        `<label><input type="radio" name="citizen" value="${escapeHtml(c.sub)}"${i === 0 ? ' checked' : ''}><span><strong>${escapeHtml(c.name)}</strong><br><span class="note">${escapeHtml(c.note)}${c.phone ? ` · SĐT ${escapeHtml(c.phone)}` : ''}</span></span></label>`,
    )
    .join('');
  return page(
    'Định danh điện tử (thử nghiệm)',
    `<h1>Định danh điện tử Thái Nguyên (thử nghiệm)</h1>
<p>Máy chủ định danh chạy cục bộ thay cho ứng dụng định danh thật. Chọn công dân đăng nhập:</p>
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<fieldset><legend>Công dân thử nghiệm</legend>${options}</fieldset>
<button type="submit" class="primary">Xác nhận và quay lại sàn</button>
</form>
<form method="post" action="/interaction/${escapeHtml(uid)}/abort"><button type="submit">Hủy</button></form>`,
  );
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16 * 1024) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startIdentityProvider(
  options: IdentityProviderOptions,
): Promise<RunningIdentityProvider> {
  const citizens = options.citizens ?? DEMO_CITIZENS;
  const host = options.host ?? '127.0.0.1';
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const issuer = `http://${host}:${(server.address() as AddressInfo).port}`;

  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = {
    ...(await exportJWK(privateKey)),
    kid: `idp-${randomBytes(4).toString('hex')}`,
    alg: 'RS256',
    use: 'sig',
  };

  const provider = new Provider(issuer, {
    clients: options.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { methods: ['S256'], required: () => true },
    scopes: ['openid', 'profile'],
    claims: { openid: ['sub'], profile: ['name'] },
    // The verified name goes in the ID token itself (the exchange reads nothing else).
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    ttl: {
      AuthorizationCode: 60,
      Session: 3600,
      Interaction: 600,
      Grant: 3600,
      IdToken: 600,
      AccessToken: 600,
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx: unknown, id: string) {
      const citizen = citizens.find((c) => c.sub === id);
      if (!citizen) return undefined;
      return { accountId: id, claims: () => ({ sub: id, name: citizen.name }) };
    },
    // The exchange is a first-party client: its grant is made on the spot (no consent screen).
    async loadExistingGrant(ctx: {
      oidc: {
        result?: { consent?: { grantId?: string } };
        session: { accountId: string; grantIdFor(clientId: string): string | undefined };
        client: { clientId: string };
      };
    }) {
      const grantId =
        ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) {
        const existing = await provider.Grant.find(grantId);
        if (existing) return existing;
      }
      const grant = new provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid profile');
      grant.addOIDCClaims(['name']);
      await grant.save();
      return grant;
    },
    async renderError(ctx: { type: string; body: string }, out: Record<string, string>) {
      ctx.type = 'html';
      ctx.body = page(
        'Lỗi định danh',
        `<h1>Không đăng nhập được</h1><p>${escapeHtml(out.error_description ?? out.error ?? 'Lỗi không xác định')}</p>`,
      );
    },
  });
  const handle = provider.callback();

  const interaction = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const match = /^\/interaction\/([\w-]+)(\/login|\/abort)?$/.exec(path);
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    const [, uid, action] = match;
    if (req.method === 'GET' && !action) {
      const details = await provider.interactionDetails(req, res);
      if (details.uid !== uid) throw new Error('interaction mismatch');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(choicePage(uid!, citizens));
      return;
    }
    if (req.method === 'POST' && action === '/login') {
      const form = await readForm(req);
      const chosen = citizens.find((c) => c.sub === form.get('citizen'));
      if (!chosen) {
        res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
        res.end(
          page('Chưa chọn công dân', '<h1>Hãy chọn một công dân</h1><p>Quay lại và chọn một người.</p>'),
        );
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: chosen.sub } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (req.method === 'POST' && action === '/abort') {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'Người dùng đã hủy đăng nhập' },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    res.writeHead(405).end();
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', issuer).pathname;
    if (path.startsWith('/interaction/')) {
      interaction(req, res, path).catch(() => {
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
        res.end(
          page('Phiên đã hết hạn', '<h1>Phiên định danh đã hết hạn</h1><p>Hãy quay lại sàn và thử lại.</p>'),
        );
      });
      return;
    }
    handle(req, res);
  });

  return {
    issuer,
    citizens,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
