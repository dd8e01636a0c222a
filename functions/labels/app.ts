/**
 * The labels function: a lot's printable label (SVG, or PNG through sharp) with its trace code as
 * a QR code, for the lot's seller. Out of the producers function so that the QR encoder (and
 * sharp) leave the seller center's other routes, which stay within their bundle budget. The route
 * handler stays where it was written (functions/producers/lot-labels.ts); the layout lives in
 * shared/labels.
 */
import { guardRoutes } from '../guard.ts';
import { createApiApp } from '../http.ts';
import { registerLotLabelRoutes } from '../producers/lot-labels.ts';
import type { SignedInEnv } from '../principal.ts';
import { LABEL_ROUTES } from './routes.ts';

export const app = createApiApp<SignedInEnv>();

// Who may call the route is declared in functions/labels/routes.ts: a signed-in seller; the
// domain checks the lot is theirs.
guardRoutes(app, LABEL_ROUTES);
registerLotLabelRoutes(app);
