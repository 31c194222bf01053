import type { SqlReader } from '../../runner/read-model-engine';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Actor } from '@cbec/event-store';
import { canReadBeneficiary, Forbidden } from '@cbec/platform';
import { ReadModels } from '../../read-models';
import { registrationsOf, RegistrationRow } from '../beneficiary-register.projection';

export interface RegistrationEntry {
  division: string;
  /** The day the registration holds from. */
  date: string;
  documentNo: string;
  source: string;
  recordedBy: string;
  recordedAt: string;
  batchId: string;
  /** The event that recorded it (the audit trail's record). */
  eventId: string;
  position: number;
}

export interface Registration {
  uscc: string;
  /** The latest registration (by its date), null when the register holds none: then the USCC's digits are read, unconfirmed. */
  current: RegistrationEntry | null;
  /** Every entry, oldest first. */
  history: RegistrationEntry[];
}

export class GetRegistration extends Query<Registration> {
  constructor(
    readonly uscc: string,
    readonly actor: Actor,
  ) {
    super();
  }
}

const entry = (r: RegistrationRow): RegistrationEntry => ({
  division: r.division,
  date: r.date,
  documentNo: r.document_no,
  source: r.source,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at,
  batchId: r.batch_id,
  eventId: r.event_id,
  position: r.position,
});

/** The register's entries of `uscc` for `actor` (departments, AUDIT, that applicant). */
export async function readRegistration(db: SqlReader, uscc: string, actor: Actor): Promise<Registration> {
  if (!canReadBeneficiary(actor, uscc)) {
    throw new Forbidden(`${actor.unit} ${actor.role} "${actor.user}" may not read the registration of ${uscc}: an applicant reads only its own`);
  }
  const history = (await registrationsOf(db, uscc)).map(entry);
  return { uscc, current: history.length > 0 ? history[history.length - 1] : null, history };
}

@QueryHandler(GetRegistration)
export class GetRegistrationHandler implements IQueryHandler<GetRegistration, Registration> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ uscc, actor }: GetRegistration): Promise<Registration> {
    return readRegistration(this.readModels.reader, uscc, actor);
  }
}
