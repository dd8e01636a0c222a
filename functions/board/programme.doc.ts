/**
 * What the programme report's operations answer (functions/board/programme.ts), for the OpenAPI
 * document only (functions/api-document.ts): no handler imports this.
 */
import { ProgrammeReport, ProgrammeTargets } from '../../shared/stats/programme.ts';
import { errorResponse, jsonResponse, type OperationDocsOf } from '../http.ts';
import type { programmeOperations } from './programme.ts';

export const programmeOperationsDocs: OperationDocsOf<typeof programmeOperations> = {
  getProgrammeReport: {
    summary:
      'The programme report: onboarding against targets, reviews waiting, certificates expiring, households without a sale',
    description:
      'Households onboarded per commune and month against the target the admin set, listings awaiting review and their age, verified OCOP certificates expiring within 60 days, and verified households with no sale in 90 days (names and phones: personal data, admins only). `?format=csv` answers the same as CSV.',
    responses: {
      200: jsonResponse(ProgrammeReport, 'The report (text/csv with format=csv)'),
      400: errorResponse('Unknown query parameter or format'),
    },
  },
  setProgrammeTargets: {
    summary: 'Set the households to onboard each month, by default and per commune',
    responses: {
      200: jsonResponse(ProgrammeTargets, 'The targets as saved'),
      400: errorResponse('Invalid targets'),
    },
  },
};
