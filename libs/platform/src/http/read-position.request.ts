import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import type { EventStore } from '@cbec/event-store';
import { WorkflowError } from './errors';

/** How long a read waits for `minPosition` before answering 503. */
export const READ_WAIT_MS = 5000;

/**
 * Every read accepts `minPosition` (read your writes): it answers only once what it reads from (the read
 * models, or the approval process's state for `/deadlines`) includes that global position.
 */
export class ReadPositionRequest {
  @ApiPropertyOptional({
    description:
      'a global position returned by a command (`position`): the read waits until what it reads includes it (read-your-writes); 503 after 5 s; ' +
      'a position beyond the head of the log is a 400 (`position-beyond-head`)',
    example: 118,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  minPosition?: number;
}

/**
 * `minPosition` names a position no command has answered yet: no wait would ever reach it, so the read
 * answers at once, naming the head (docs/limits.md, "## Sizes").
 */
export class PositionBeyondHead extends WorkflowError {
  readonly code = 'position-beyond-head';
  readonly httpStatus = 400;
  readonly errors: ReadonlyArray<Record<string, unknown>>;
  constructor(
    readonly minPosition: number,
    readonly head: number,
  ) {
    super(`minPosition ${minPosition} is beyond the head of the log (${head}): use a position a command answered`);
    this.errors = [{ field: 'minPosition', reason: `must be at most the head of the log, ${head}`, limit: head }];
  }
}

/**
 * Refuses a `minPosition` beyond the log's head before any wait. A command answers its position only once
 * its events are in the log, so a position any command answered is never beyond the head.
 */
export async function assertWithinHead(store: Pick<EventStore, 'headPosition'>, minPosition: number): Promise<void> {
  const head = await store.headPosition();
  if (minPosition > head) throw new PositionBeyondHead(minPosition, head);
}
