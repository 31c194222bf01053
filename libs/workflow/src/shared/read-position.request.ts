import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';

/** How long a read waits for `minPosition` before answering 503. */
export const READ_WAIT_MS = 5000;

/**
 * Every read accepts `minPosition` (read your writes): it answers only once what it reads from (the read
 * models, or the approval process's state for `/deadlines`) includes that global position.
 */
export class ReadPositionRequest {
  @ApiPropertyOptional({
    description: 'a global position returned by a command (`position`): the read waits until what it reads includes it (read-your-writes); 503 after 5 s',
    example: 118,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  minPosition?: number;
}
