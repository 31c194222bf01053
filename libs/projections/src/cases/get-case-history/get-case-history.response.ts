import { ApiProperty } from '@nestjs/swagger';
import type { CaseHistory, HistoryEntry } from './get-case-history.query';

class ActorResponse {
  @ApiProperty() user!: string;
  @ApiProperty({ example: 'FIN' }) unit!: string;
  @ApiProperty({ example: 'officer' }) role!: string;
  @ApiProperty({ required: false }) uscc?: string;
}

class HistoryEntryResponse implements HistoryEntry {
  @ApiProperty() version!: number;
  @ApiProperty() globalPosition!: number;
  @ApiProperty() eventId!: string;
  @ApiProperty({ example: 'ApplicationSubmitted' }) type!: string;
  @ApiProperty() schemaVersion!: number;
  @ApiProperty() occurredAt!: string;
  @ApiProperty() recordedAt!: string;
  @ApiProperty({ type: ActorResponse }) actor!: ActorResponse;
  @ApiProperty({ nullable: true, type: String }) commandId!: string | null;
  @ApiProperty() correlationId!: string;
  @ApiProperty({ nullable: true, type: String }) causationId!: string | null;
  @ApiProperty({ nullable: true, type: String }) policyVersion!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: unknown;
  @ApiProperty() prevHash!: string;
  @ApiProperty() hash!: string;
}

export class CaseHistoryResponse implements CaseHistory {
  @ApiProperty() applicationId!: string;
  @ApiProperty({ example: 'application-2f1c…' }) streamId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ type: [HistoryEntryResponse] }) events!: HistoryEntryResponse[];
}
