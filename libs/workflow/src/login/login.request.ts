import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class LoginRequest {
  @ApiProperty({ example: 'fin-head' })
  @IsString()
  @MaxLength(64)
  username!: string;

  @ApiProperty({ format: 'password', example: 'Lu-an-2019' })
  @IsString()
  @MaxLength(1024)
  password!: string;
}

export class SessionAnswer {
  @ApiProperty() user!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ example: 'FIN' }) unit!: string;
  @ApiProperty({ example: 'head' }) role!: string;
  @ApiProperty({ nullable: true, type: String }) uscc!: string | null;
  @ApiProperty({ enum: ['session', 'token'], description: 'how this request was authenticated' }) authenticatedBy!: 'session' | 'token';
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'send as X-CSRF-Token with every cookie-authenticated request that changes anything (null for a Bearer token)',
  })
  csrfToken!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'the session ends after this many idle seconds' }) idleTimeoutSeconds!: number | null;
}
