// helmet with a CSP that works on plain-HTTP intranet addresses: upgrade-insecure-requests and HSTS
// are only sent when the request itself came over HTTPS (otherwise the browser would break every asset).
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

const directives = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
};

const overHttps = helmet({ contentSecurityPolicy: { useDefaults: false, directives: { ...directives, upgradeInsecureRequests: [] } } });
const overHttp = helmet({ contentSecurityPolicy: { useDefaults: false, directives }, strictTransportSecurity: false });

export function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  (req.secure ? overHttps : overHttp)(req, res, next);
}
