import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { EventStore } from '@cbec/event-store';
import { ApiDoes, EVENT_STORE, Public } from '@cbec/workflow';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** 200 once the server takes commands: the store answers. */
  @Public()
  @Get()
  @ApiDoes('Whether the server takes commands, and the head of its event log', { callers: 'anyone, without a token', public: true })
  @ApiOkResponse({ description: 'the server takes commands', schema: { example: { status: 'ok', headPosition: 42 } } })
  async health(): Promise<{ status: 'ok'; headPosition: number }> {
    return { status: 'ok', headPosition: await this.store.headPosition() };
  }
}
