/**
 * The browser security headers of every answer, one definition for both origins: the local
 * server sends them itself (infra/local/server.ts) and CloudFront adds them through the site's
 * response headers policy (infra/stacks/site-stack.ts).
 *
 * Scripts: `script-src 'self'` plus the SHA-256 hash of each script the build inlined, with no
 * 'unsafe-inline'. The build writes every script to a file under /_astro/ except the layout's one
 * small script (the header's cart badge and menu), which is inlined so that no request for it sits
 * in front of the page's largest paint; `astro build` records its hash in dist/script-hashes.json
 * (site/astro.config.mjs), read here by `builtScriptHashes`. JSON-LD blocks are data that browsers
 * never run. An injected `<script>` or `onclick=` therefore cannot run.
 * Styles keep 'unsafe-inline': Astro inlines small stylesheets and the label print frame styles
 * itself; CSS cannot run code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CspOptions {
  /** Origins the browser uploads photos to besides this one (the media bucket in AWS). */
  uploadOrigins?: readonly string[];
  /** Ask browsers to fetch every http: subresource over https (not for the local http origin). */
  upgradeInsecureRequests?: boolean;
  /** CSP sources (`'sha256-…'`) of the inline scripts the site build wrote (`builtScriptHashes`). */
  scriptHashes?: readonly string[];
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'", ...(options.scriptHashes ?? [])],
    ['style-src', "'self'", "'unsafe-inline'"],
    // data: for small inlined images, blob: for a photo's preview before upload and QR labels.
    ['img-src', "'self'", 'data:', 'blob:'],
    ['font-src', "'self'"],
    ['connect-src', "'self'", ...(options.uploadOrigins ?? [])],
    ['object-src', "'none'"],
    ['base-uri', "'self'"],
    ['form-action', "'self'"],
    ['frame-ancestors', "'none'"],
  ];
  const text = directives.map((d) => d.join(' ')).join('; ');
  return options.upgradeInsecureRequests ? `${text}; upgrade-insecure-requests` : text;
}

/** The other security headers, as CloudFront's policy sets them (HSTS only over https). */
export const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
} as const;

/** HSTS for the https origin: two years, subdomains included. */
export const STRICT_TRANSPORT_SECURITY_SECONDS = 63_072_000;

/** The file `astro build` writes beside the client folder (site/dist/client → site/dist/). */
export const SCRIPT_HASHES_FILE = 'script-hashes.json';

const HASH_SOURCE = /^'sha256-[A-Za-z0-9+/]{43}='$/;

/**
 * The CSP sources of the scripts the build of `clientDir` inlined into its pages, as
 * site/astro.config.mjs recorded them; none when the site is not built (nothing to allow).
 * A file that is not a list of sha256 sources is an error, not an empty list: a policy without
 * the hash would silently stop the header's cart badge and menu.
 */
export function builtScriptHashes(clientDir: string | undefined): string[] {
  if (!clientDir) return [];
  const file = join(clientDir, '..', SCRIPT_HASHES_FILE);
  if (!existsSync(file)) return [];
  const hashes: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(hashes) || !hashes.every((h) => typeof h === 'string' && HASH_SOURCE.test(h))) {
    throw new Error(`${file}: expected a list of 'sha256-…' sources, got ${JSON.stringify(hashes)}`);
  }
  return [...new Set(hashes as string[])].sort();
}
