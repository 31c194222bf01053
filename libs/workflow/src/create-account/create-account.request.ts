import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class CreateAccountRequest {
  @ApiProperty({ example: 'fin-head', description: '2-64 letters, digits, ".", "_" or "-"' })
  @IsString()
  @MaxLength(64)
  username!: string;

  @ApiProperty({ example: 'FIN' })
  @IsString()
  @MaxLength(32)
  unit!: string;

  @ApiProperty({ example: 'head', enum: ['officer', 'head', 'auditor', 'applicant', 'admin'] })
  @IsString()
  @MaxLength(32)
  role!: string;

  @ApiPropertyOptional({ description: "an applicant's USCC (unit APPLICANT only)" })
  @IsOptional()
  @IsString()
  @MaxLength(18)
  uscc?: string;

  @ApiPropertyOptional({ example: '张三' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  displayName?: string;

  @ApiProperty({ format: 'password', description: 'at least 8 characters mixing three of: lower-case, upper-case, digits, others' })
  @IsString()
  @MaxLength(256)
  password!: string;
}

export class AccountAnswer {
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty() unit!: string;
  @ApiProperty() role!: string;
  @ApiProperty({ nullable: true, type: String }) uscc!: string | null;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'end of the current or last lock-out' }) lockedUntil!: string | null;
  @ApiProperty({ description: 'version of the stream account-<username>' }) version!: number;
}
