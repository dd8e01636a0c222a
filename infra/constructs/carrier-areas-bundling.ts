import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * The carriers' 2025-commune mappings (shared/carriers/areas.ts reads them on the first quote) and
 * the 2025 names (read on the first refusal, to name the commune).
 */
export const CARRIER_AREA_FILES = [
  'carrier-areas-ghn.json',
  'carrier-areas-ghtk.json',
  'vn-admin-units-2025.json',
] as const;

/**
 * Bundling for the function that quotes and ships with the carriers (orders): the mapping files
 * and the communes' names are not bundled (≈ 320 KB the function would load with its code on
 * every cold start) but copied beside index.mjs, where areas.ts reads each the first time it is
 * needed.
 */
export const CARRIER_AREAS_BUNDLING: Partial<BundlingOptions> = {
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) =>
      CARRIER_AREA_FILES.map((file) => `cp "${inputDir}/shared/data/${file}" "${outputDir}/${file}"`),
  },
};
