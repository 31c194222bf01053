import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { AuditDigestService } from '@cbec/audit';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { EventStore } from '@cbec/event-store';
import { assertReadSideHealthy, ReadModels } from '@cbec/projections';
import { AggregateStore, ApiDoes, ApiProblems, assertLogIntact, EVENT_STORE, Public } from '@cbec/platform';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModels: ReadModels,
    private readonly aggregates: AggregateStore,
    @Optional() private readonly digests?: AuditDigestService,
  ) {}

  /** 200 once the server takes commands (the store answers) and every projection applies the log. */
  @Public()
  @Get()
  @ApiDoes('Whether the server takes commands and its read side applies the log, and the head of its event log', {
    callers: 'anyone, without a token',
    public: true,
  })
  @ApiOkResponse({ description: 'the server takes commands and its read side applies the log', schema: { example: { status: 'ok', headPosition: 42 } } })
  @ApiProblems({
    503:
      'a projection stopped at an event it could not apply (code projection-failed): `failures` names each projection, ' +
      'its checkpoint, the event (globalPosition, streamId, streamVersion, eventType, eventId) and the error (docs/limits.md); ' +
      'or a stream loaded for a command failed its hash-chain check (code integrity-violation): `breaks` names each stream, version and what failed (docs/auditing.md); ' +
      'or the audit tree-head writer refuses to sign because the log does not extend a published tree head (code tree-head-refused): `reason` says how (docs/auditing.md)',
  })
  async health(): Promise<{ status: 'ok'; headPosition: number }> {
    const headPosition = await this.store.headPosition();
    assertLogIntact(this.aggregates.integrity);
    this.digests?.assertSigning();
    assertReadSideHealthy(this.readModels, headPosition);
    return { status: 'ok', headPosition };
  }
}
