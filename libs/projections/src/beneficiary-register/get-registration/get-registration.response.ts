import { ApiProperty } from '@nestjs/swagger';
import type { Registration, RegistrationEntry } from './get-registration.query';

class RegistrationEntryResponse implements RegistrationEntry {
  @ApiProperty({ description: 'GB/T 2260 division code', example: '341502' }) division!: string;
  @ApiProperty({ description: 'the day the registration holds from', example: '2017-08-15' }) date!: string;
  @ApiProperty({ description: 'the registry extract (document number)', example: '六市监登〔2017〕458号' }) documentNo!: string;
  @ApiProperty({ description: 'the registry the extract is from', example: '六安市市场监督管理局登记档案' }) source!: string;
  @ApiProperty({ example: 'com-liu' }) recordedBy!: string;
  @ApiProperty({ example: '2026-12-06T10:00:00.000Z' }) recordedAt!: string;
  @ApiProperty({ description: "the imported file's SHA-256" }) batchId!: string;
  @ApiProperty({ description: 'the event that recorded it' }) eventId!: string;
  @ApiProperty({ description: 'its global log position' }) position!: number;
}

export class RegistrationResponse implements Registration {
  @ApiProperty({ example: '91341500MA2016013B' }) uscc!: string;
  @ApiProperty({
    type: RegistrationEntryResponse,
    nullable: true,
    description: 'the latest registration; null: none in the register (the USCC digits are read, unconfirmed)',
  })
  current!: RegistrationEntryResponse | null;
  @ApiProperty({ type: [RegistrationEntryResponse], description: 'every entry, oldest first' }) history!: RegistrationEntryResponse[];
}
