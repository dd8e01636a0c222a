import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * npm settings for installing sharp into a Lambda asset on an x64 build machine:
 * - os/cpu/libc: install the prebuilt binaries for Lambda's arm64 Amazon Linux (glibc),
 *   `@img/sharp-linux-arm64` and `@img/sharp-libvips-linux-arm64`, instead of the host's;
 * - ignore-scripts: sharp's install script would check for (or build) a binary for the host; the
 *   prebuilt packages need no script;
 * - prefer-offline, no audit, few retries: `npm ci` takes the tarballs from npm's cache when they
 *   are there, so synth runs without the registry once they were fetched, and fails in seconds
 *   (not minutes of retries) when they are not. Measured offline with a warm cache: ≈ 1 s;
 *   offline with npm's defaults: 2 min 23 s.
 */
export const SHARP_ARM64_NPMRC = [
  'os=linux',
  'cpu=arm64',
  'libc=glibc',
  'ignore-scripts=true',
  'prefer-offline=true',
  'audit=false',
  'fund=false',
  'update-notifier=false',
  'fetch-retries=1',
  'fetch-timeout=20000',
].join('\n');

/**
 * Bundling for a function that imports sharp (native code, so it cannot go through esbuild):
 * sharp stays external and CDK installs it into the asset's node_modules with `npm ci`, at the
 * exact versions (and integrity hashes) of package-lock.json, for linux-arm64 (see the .npmrc
 * above). The handler then resolves it as /var/task/node_modules/sharp, the plain Node.js
 * resolution, with no reliance on how a Lambda layer is found from an ES module.
 */
export const SHARP_ARM64_BUNDLING: Partial<BundlingOptions> = {
  nodeModules: ['sharp'],
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: (_inputDir, outputDir) => [
      `printf '%s\\n' ${SHARP_ARM64_NPMRC.split('\n')
        .map((line) => `'${line}'`)
        .join(' ')} > "${outputDir}/.npmrc"`,
    ],
    // The .npmrc and the project's whole lockfile were for the install only; they have no
    // business in the deployed function (node_modules/.package-lock.json records what is there).
    afterBundling: (_inputDir, outputDir) => [`rm -f "${outputDir}/.npmrc" "${outputDir}/package-lock.json"`],
  },
};
