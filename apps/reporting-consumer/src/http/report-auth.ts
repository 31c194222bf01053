import { createSecretKey } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import type { Actor } from '@cbec/event-store';
import { countyOfUnit } from '@cbec/domain';
import { mayReadFeed } from '@cbec/messaging';
import { InvalidTokenRequest, loadOrCreateJwtSecret, SqliteTokenRevocations, verifyToken } from '@cbec/platform';

/** A refusal: the status (401 or 403) and the detail the problem carries. */
export class ReportRefusal extends Error {
  constructor(
    readonly status: 401 | 403,
    readonly title: 'Unauthorized' | 'Forbidden',
    detail: string,
  ) {
    super(detail);
  }
}

/**
 * Who may read the reports, verified as the workflow server verifies a Bearer token: the data folder's
 * `jwt-secret`, `verifyToken` (HS256, expiry, lifetimes, a coherent identity) and the revocation list
 * (docs/api.md, "token"). Departments (FIN, COM, CUS, PBC, CTY-*) and AUDIT may read, as for the
 * event feed; a county unit sees only its own county's rows (docs/operations.md, the reporting consumer).
 */
export class ReportAuth {
  private readonly jwt: JwtService;
  private readonly revocations: SqliteTokenRevocations;

  constructor(dataDir: string) {
    this.jwt = new JwtService({ secret: createSecretKey(Buffer.from(loadOrCreateJwtSecret(dataDir), 'utf8')) as unknown as Buffer });
    this.revocations = new SqliteTokenRevocations(dataDir);
  }

  /** The reader of an Authorization header; throws a ReportRefusal saying why not. */
  reader(header: string | undefined): Actor {
    if (typeof header !== 'string' || header.trim() === '') {
      throw new ReportRefusal(401, 'Unauthorized', 'missing Authorization header: send "Authorization: Bearer <token>" (npm run cli -- token ...)');
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match) throw new ReportRefusal(401, 'Unauthorized', 'Authorization header must be "Bearer <token>"');
    let actor: Actor;
    try {
      actor = verifyToken(this.jwt, match[1]);
    } catch (e) {
      const reason = e instanceof InvalidTokenRequest ? `token claims are not a valid identity: ${e.message}` : `token rejected: ${(e as Error).message}`;
      throw new ReportRefusal(401, 'Unauthorized', reason);
    }
    const claims = this.jwt.decode<Record<string, unknown> | null>(match[1]);
    const revoked = this.revocations.revokedNow({ jti: claims?.jti, sub: claims?.sub, iat: claims?.iat });
    if (revoked) throw new ReportRefusal(401, 'Unauthorized', revoked);
    if (!mayReadFeed(actor.unit)) {
      throw new ReportRefusal(403, 'Forbidden', `unit ${actor.unit} may not read the reports: departments (FIN, COM, CUS, PBC, CTY-*) and AUDIT may`);
    }
    return actor;
  }

  close(): void {
    this.revocations.closeNow();
  }
}

/** The rows a reader sees: a county unit only rows whose `county` is its own; everyone else all of them. */
export function rowsFor<R extends Record<string, unknown>>(reader: Actor, rows: R[]): R[] {
  const county = countyOfUnit(reader.unit);
  return county === null ? rows : rows.filter((r) => r.county === county);
}
