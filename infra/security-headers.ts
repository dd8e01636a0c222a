/**
 * The browser security headers of every answer, one definition for both origins: the local
 * server sends them itself (infra/local/server.ts) and CloudFront adds them through the site's
 * response headers policy (infra/stacks/site-stack.ts).
 *
 * Scripts: `script-src 'self'` with no hashes and no 'unsafe-inline', because the storefront has
 * no inline script to allow: the build writes every script to a file under /_astro/ (the site's
 * Vite `assetsInlineLimit` never inlines JavaScript, site/astro.config.mjs), and JSON-LD blocks
 * are data that browsers never run. An injected `<script>` or `onclick=` therefore cannot run.
 * Styles keep 'unsafe-inline': Astro inlines small stylesheets and the label print frame styles
 * itself; CSS cannot run code.
 */

export interface CspOptions {
  /** Origins the browser uploads photos to besides this one (the media bucket in AWS). */
  uploadOrigins?: readonly string[];
  /** Ask browsers to fetch every http: subresource over https (not for the local http origin). */
  upgradeInsecureRequests?: boolean;
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'"],
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
