import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { assertCanAct } from '../auth/authorization';
import { customsFileFormat } from './customs-file';
import { ImportCustomsStatsAnswer } from './customs-import.job';
import { CustomsImports, CustomsImportStatus } from './customs-imports';
import { ImportCustomsStatsCommand, StartCustomsImportCommand } from './import-customs-stats.command';

export type { ImportCustomsStatsAnswer } from './customs-import.job';

/**
 * 海关统计数据 (runCustomsImport, customs-import.job.ts, says what is decided): CUS only; answered when
 * stored or refused. The work runs off the request's path (CustomsImports: in slices on the event loop,
 * or in a thread of its own for a large file), and its progress is readable meanwhile.
 */
@CommandHandler(ImportCustomsStatsCommand)
export class ImportCustomsStatsHandler implements ICommandHandler<ImportCustomsStatsCommand, ImportCustomsStatsAnswer> {
  constructor(private readonly imports: CustomsImports) {}

  async execute({ content, contentType, ctx }: ImportCustomsStatsCommand): Promise<ImportCustomsStatsAnswer> {
    assertCanAct(ctx.actor, 'import-customs-stats');
    customsFileFormat(contentType);
    return this.imports.start({ content, contentType }, ctx).done;
  }
}

/** The same import, answered at once with where its progress and outcome can be read. */
@CommandHandler(StartCustomsImportCommand)
export class StartCustomsImportHandler implements ICommandHandler<StartCustomsImportCommand, CustomsImportStatus> {
  constructor(private readonly imports: CustomsImports) {}

  async execute({ content, contentType, ctx }: StartCustomsImportCommand): Promise<CustomsImportStatus> {
    assertCanAct(ctx.actor, 'import-customs-stats');
    customsFileFormat(contentType);
    const { id } = this.imports.start({ content, contentType }, ctx);
    return this.imports.status(id)!;
  }
}
