import { createHash } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { beneficiaryDecider, beneficiaryStreamId, BeneficiaryCommand, DomainError } from '@cbec/domain';
import { AggregateStore, deterministicId, Unprocessable } from '@cbec/platform';
import { assertCanAct } from '../auth/authorization';
import { ImportBeneficiaryRegisterCommand } from './import-beneficiary-register.command';
import { readRegisterRows, RegisterRow, RowProblem } from './register-rows';

export interface ImportBeneficiaryRegisterAnswer {
  /** The file's SHA-256: the same file again records nothing new. */
  batchId: string;
  rows: number;
  /** Rows that recorded a new registration. */
  recorded: number;
  /** Rows whose extract the register already holds, with the same data. */
  unchanged: number;
  /** Global log position of the last event stored (the head when none was). */
  position: number;
}

/**
 * The beneficiary register (四: every award is the city's): COM imports registry extracts, each row a
 * registration of one USCC from a date. Every row is checked, against the file and against the register,
 * before anything is stored; one bad row refuses the file (422, every bad row named), nothing stored.
 */
@CommandHandler(ImportBeneficiaryRegisterCommand)
export class ImportBeneficiaryRegisterHandler implements ICommandHandler<ImportBeneficiaryRegisterCommand, ImportBeneficiaryRegisterAnswer> {
  constructor(private readonly aggregates: AggregateStore) {}

  async execute({ content, ctx }: ImportBeneficiaryRegisterCommand): Promise<ImportBeneficiaryRegisterAnswer> {
    assertCanAct(ctx.actor, 'import-beneficiary-register');
    const batchId = createHash('sha256').update(content).digest('hex');
    const { rows, problems } = readRegisterRows(content);
    const command = (row: RegisterRow): Extract<BeneficiaryCommand, { type: 'RecordRegistration' }> => ({
      type: 'RecordRegistration',
      data: { uscc: row.uscc, division: row.division, date: row.date, documentNo: row.documentNo, source: row.source, recordedBy: ctx.actor.user, batchId },
    });
    // Against the register as it stands: an extract it holds with other data is a bad row too.
    if (problems.length === 0) {
      for (const row of rows) {
        const { state } = await this.aggregates.load(beneficiaryStreamId(row.uscc), beneficiaryDecider);
        try {
          beneficiaryDecider.decide(command(row), state);
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          const named = e as DomainError & { field?: string; idField?: string };
          problems.push({ field: `line ${row.line}.${named.field ?? named.idField ?? 'row'}`, reason: e.message } satisfies RowProblem);
        }
      }
    }
    if (problems.length > 0) {
      throw new Unprocessable(
        'invalid-register-rows',
        `the register file has ${problems.length} bad row(s); nothing was stored`,
        problems.map((p) => ({ ...p })),
      );
    }
    let recorded = 0;
    let position = 0;
    for (const row of rows) {
      // One command per row, its id derived from the request's and the row's extract: a retried request stores nothing twice.
      const rowCtx = { ...ctx, commandId: deterministicId(ctx.commandId, row.uscc, row.documentNo) };
      const result = await this.aggregates.execute(beneficiaryStreamId(row.uscc), beneficiaryDecider, command(row), rowCtx);
      if (result.events.length > 0 && !result.repeated) recorded += 1;
      position = Math.max(position, result.position);
    }
    return { batchId, rows: rows.length, recorded, unchanged: rows.length - recorded, position };
  }
}
