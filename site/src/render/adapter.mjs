// @ts-check
/**
 * The storefront's own Astro adapter: the smallest one that renders the on-demand pages anywhere a
 * Web `fetch(Request) → Response` runs. Why not `@astrojs/node`: its entry speaks Node's
 * `(req, res, next)`, which suits the local server but would need a Lambda-event → Node-stream shim
 * in AWS; this entry (render-entry.ts, around `astro/app`'s `App`) takes a `Request` in both places:
 * the local server passes Hono's request, the render Lambda turns its event into one with
 * `hono/aws-lambda`. No extra package, and the same code path locally and in AWS.
 */
/** @returns {import('astro').AstroIntegration} */
export default function exchangeRenderer() {
  return {
    name: 'tn-exchange-renderer',
    hooks: {
      'astro:config:done': ({ setAdapter }) => {
        setAdapter({
          name: 'tn-exchange-renderer',
          serverEntrypoint: new URL('./render-entry.ts', import.meta.url),
          exports: ['render', 'handles', 'handler'],
          adapterFeatures: { edgeMiddleware: false, buildOutput: 'server' },
          supportedAstroFeatures: {
            staticOutput: 'stable',
            hybridOutput: 'stable',
            serverOutput: 'stable',
            sharpImageService: 'stable',
            i18nDomains: 'unsupported',
            envGetSecret: 'unsupported',
          },
        });
      },
    },
  };
}
