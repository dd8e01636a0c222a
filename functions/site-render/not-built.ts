/**
 * Stand-in for the storefront's renderer when `cdk synth` runs before the site is built (tests,
 * a first synth): the render function then answers 503, never a wrong page. The real entry is
 * site/dist/server/entry.mjs (`handler`, see site/src/render/render-entry.ts), picked by
 * infra/stacks/site-stack.ts when it exists: build the site, then deploy.
 */
export const handler = async () => ({
  statusCode: 503,
  headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  body: 'Trang chưa sẵn sàng / The storefront renderer was deployed without a site build.',
});
