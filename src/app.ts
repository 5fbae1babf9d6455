// Builds the express application from its dependencies. Tests build it exactly the same way.
import path from 'node:path';
import express from 'express';
import session from 'express-session';
import { sessionSecret } from './bootstrap.ts';
import type { Deps } from './context.ts';
import { auditRoutes } from './features/audit/routes.ts';
import { authRoutes } from './features/auth/routes.ts';
import { dashboardRoutes } from './features/dashboard/routes.ts';
import { unitRoutes } from './features/units/routes.ts';
import { userRoutes } from './features/users/routes.ts';
import { rubricRoutes } from './features/rubrics/routes.ts';
import { campaignRoutes } from './features/campaigns/routes.ts';
import { caseFileRoutes } from './features/case-files/routes.ts';
import { samplingRoutes } from './features/sampling/routes.ts';
import { assignmentRoutes } from './features/assignment/routes.ts';
import { issueRoutes } from './features/issues/routes.ts';
import { exportRoutes } from './features/statistics/export-routes.ts';
import { statisticsRoutes } from './features/statistics/statistics-routes.ts';
import { campaignRectificationRoutes } from './features/rectification/campaign-routes.ts';
import { noticeRectificationRoutes } from './features/rectification/notice-routes.ts';
import { ratingRoutes } from './features/ratings/routes.ts';
import { progressRoutes } from './features/reviews/progress-routes.ts';
import { resultRoutes } from './features/reviews/result-routes.ts';
import { sheetRoutes } from './features/reviews/sheet-routes.ts';
import { loadCurrentUser, requireLogin } from './web/auth.ts';
import { csrfProtection } from './web/csrf.ts';
import { errorHandler, notFoundHandler } from './web/error-handler.ts';
import { flashMessages } from './web/flash.ts';
import { securityHeaders } from './web/security-headers.ts';
import { KyselySessionStore } from './web/session-store.ts';
import { createViewEngine, VIEWS_DIR } from './web/view-engine.ts';

const PUBLIC_DIR = path.resolve(import.meta.dirname, '../public');
export const APP_NAME = '行政执法案卷评查系统';

export async function createApp(deps: Deps): Promise<express.Express> {
  const { config } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy ? 1 : false);
  app.engine('hbs', createViewEngine({ cache: config.env === 'production' }).render);
  app.set('view engine', 'hbs');
  app.set('views', VIEWS_DIR);
  app.locals.appName = APP_NAME;

  app.use(securityHeaders);
  app.use('/assets', express.static(PUBLIC_DIR, { maxAge: config.env === 'production' ? '1d' : 0, index: false }));
  app.use(express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 2000 }));
  app.use(express.json({ limit: '1mb' }));

  // The idle timeout is enforced by loadCurrentUser (web/auth.ts). The cookie and the stored session outlive
  // it by a day so that check is what ends an idle session and the login page can say why; a cookie the
  // browser had already dropped would look like being signed out for no reason.
  const keepMs = (config.sessionIdleMinutes + 24 * 60) * 60_000;
  app.use(session({
    name: 'sid',
    secret: await sessionSecret(deps),
    store: new KyselySessionStore(deps.db, deps.clock, keepMs),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: keepMs },
  }));
  app.use(flashMessages);
  app.use(csrfProtection);
  app.use(loadCurrentUser(deps));

  app.use(authRoutes(deps));
  app.use(requireLogin);
  app.use(dashboardRoutes(deps));
  app.use(unitRoutes(deps));
  app.use(userRoutes(deps));
  app.use(rubricRoutes(deps));
  app.use(campaignRoutes(deps));
  app.use(caseFileRoutes(deps));
  app.use(samplingRoutes(deps));
  app.use(assignmentRoutes(deps));
  app.use(sheetRoutes(deps));
  app.use(resultRoutes(deps));
  app.use(progressRoutes(deps));
  app.use(issueRoutes(deps));
  app.use(statisticsRoutes(deps));
  app.use(exportRoutes(deps));
  app.use(campaignRectificationRoutes(deps));
  app.use(noticeRectificationRoutes(deps));
  app.use(ratingRoutes(deps));
  app.use(auditRoutes(deps));

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
