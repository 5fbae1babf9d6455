// What the web layer adds to express's request and session.
import type { Role } from '../domain/vocabulary.ts';

export interface CurrentUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: number;
  unitName: string;
  mustChangePassword: boolean;
}

export interface Flash {
  type: 'success' | 'error' | 'info';
  message: string;
}

declare module 'express-session' {
  interface SessionData {
    userId?: number;
    csrfToken?: string;
    flash?: Flash[];
    lastSeenAt?: string;
    notice?: string; // shown once on the login page (e.g. after an idle timeout)
  }
}

declare global {
  namespace Express {
    interface Request {
      user?: CurrentUser;
    }
  }
}
