/**
 * The admin's programme report (shared/stats/programme.ts): JSON for the admin page
 * (/quan-tri/chuong-trinh/) or CSV (`?format=csv`), and the onboarding targets the admin sets.
 * Admins only (functions/board/programme-routes.ts): the report names households and phones.
 * What the operations answer is documented in programme.doc.ts, which only the OpenAPI document
 * imports.
 */
import type { Hono } from 'hono';
import * as z from 'zod';
import { ProgrammeTargets } from '../../shared/stats/programme.ts';
import { programmeReportOf, programmeReportCsv, setProgrammeTargets } from '../../shared/stats/views.ts';
import { routeOperationDefiner, validate } from '../http.ts';
import type { SignedInEnv } from '../principal.ts';
import { PROGRAMME_ROUTES } from './programme-routes.ts';

const defineOperation = routeOperationDefiner(PROGRAMME_ROUTES);

const ReportQuery = z.strictObject({
  format: z
    .enum(['json', 'csv'], 'Định dạng là json hoặc csv / format is json or csv')
    .default('json')
    .meta({ description: '`csv`: the same tables as one CSV file (a `section` column says which)' }),
});

export const programmeOperations = {
  getProgrammeReport: defineOperation('getProgrammeReport', { query: ReportQuery }),
  setProgrammeTargets: defineOperation('setProgrammeTargets', { json: ProgrammeTargets }),
};

export function registerProgrammeRoutes(app: Hono<SignedInEnv>): void {
  const report = programmeOperations.getProgrammeReport;
  app.on(report.method, report.honoPath, validate('query', ReportQuery), async (c) => {
    c.header('Cache-Control', 'private, no-store');
    if (c.req.valid('query').format === 'csv') {
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', 'attachment; filename="bao-cao-chuong-trinh.csv"');
      return c.body(await programmeReportCsv());
    }
    return c.json(await programmeReportOf());
  });
  const targets = programmeOperations.setProgrammeTargets;
  app.on(targets.method, targets.honoPath, validate('json', ProgrammeTargets), async (c) => {
    const saved = await setProgrammeTargets(c.req.valid('json'), c.get('principal').sub);
    return c.json(saved);
  });
}
