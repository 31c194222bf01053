import { createSecretKey } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import type { Actor } from '@cbec/event-store';
import { countyOfUnit } from '@cbec/domain';
import { mayReadFeed } from '@cbec/messaging';
import {
  InvalidTokenRequest,
  JWT_SECRET_FILE_ENV,
  jwtSecretPlace,
  loadOrCreateJwtSecret,
  PostgresTokenRevocations,
  SqliteTokenRevocations,
  type TokenRevocations,
  verifyToken,
} from '@cbec/platform';

/** A refusal: the status (401, 403, or 503 when the revocation list cannot be read) and the detail the problem carries. */
export class ReportRefusal extends Error {
  constructor(
    readonly status: 401 | 403 | 503,
    readonly title: 'Unauthorized' | 'Forbidden' | 'Service Unavailable',
    detail: string,
  ) {
    super(detail);
  }
}

/** Where the consumer finds what verifies a token: the same places the workflow servers use. */
export interface ReportAuthPlaces {
  /** CBEC_DATA_DIR: its `jwt-secret` (unless `jwtSecretFile`), and its `revoked-tokens.db` (unless `databaseUrl`). */
  dataDir: string;
  /** DATABASE_URL: the revocation list is the database's (`revoked_tokens`, `revoked_subjects`), which `cli token revoke` writes. */
  databaseUrl?: string;
  /** CBEC_JWT_SECRET_FILE: the secret shared by the servers, outside any data folder. */
  jwtSecretFile?: string;
}

/**
 * Who may read the reports, verified as the workflow server verifies a Bearer token: the server's secret
 * (`CBEC_JWT_SECRET_FILE`, else the data folder's `jwt-secret`), `verifyToken` (HS256, expiry, lifetimes,
 * a coherent identity) and the revocation list the servers check (docs/api.md, "token"): the database's
 * with DATABASE_URL, else the data folder's. Departments (FIN, COM, CUS, PBC, CTY-*) and AUDIT may read,
 * as for the event feed; a county unit sees only its own county's rows (docs/operations.md, the
 * reporting consumer).
 */
export class ReportAuth {
  private readonly jwt: JwtService;
  private readonly revocations: TokenRevocations;
  /** Where the secret and the revocation list are, for the start-up line. */
  readonly places: { secret: string; revocations: string };

  constructor(places: ReportAuthPlaces) {
    const env = places.jwtSecretFile ? { [JWT_SECRET_FILE_ENV]: places.jwtSecretFile } : {};
    this.jwt = new JwtService({ secret: createSecretKey(Buffer.from(loadOrCreateJwtSecret(places.dataDir, env), 'utf8')) as unknown as Buffer });
    this.revocations = places.databaseUrl ? new PostgresTokenRevocations(places.databaseUrl) : new SqliteTokenRevocations(places.dataDir);
    this.places = {
      secret: jwtSecretPlace(places.dataDir, env).path,
      revocations: places.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `${places.dataDir}/revoked-tokens.db`,
    };
  }

  /**
   * Reads the revocation list once, so that a consumer whose database cannot be reached says so when it
   * starts rather than answering every report with a 503.
   */
  async ready(): Promise<void> {
    await this.revocations.revoked({});
  }

  /** The reader of an Authorization header; rejects with a ReportRefusal saying why not. */
  async reader(header: string | undefined): Promise<Actor> {
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
    let revoked: string | null;
    try {
      revoked = await this.revocations.revoked({ jti: claims?.jti, sub: claims?.sub, iat: claims?.iat });
    } catch (e) {
      // Refused, not served: a token revoked while the list cannot be read must not read the reports.
      throw new ReportRefusal(503, 'Service Unavailable', `the revocation list (${this.places.revocations}) cannot be read: ${(e as Error).message}`);
    }
    if (revoked) throw new ReportRefusal(401, 'Unauthorized', revoked);
    if (!mayReadFeed(actor.unit)) {
      throw new ReportRefusal(403, 'Forbidden', `unit ${actor.unit} may not read the reports: departments (FIN, COM, CUS, PBC, CTY-*) and AUDIT may`);
    }
    return actor;
  }

  async close(): Promise<void> {
    await this.revocations.close();
  }
}

/** The rows a reader sees: a county unit only rows whose `county` is its own; everyone else all of them. */
export function rowsFor<R extends Record<string, unknown>>(reader: Actor, rows: R[]): R[] {
  const county = countyOfUnit(reader.unit);
  return county === null ? rows : rows.filter((r) => r.county === county);
}
