import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtAuthGuard } from './jwt-auth.guard';

/** Installs the JWT guard globally; needs `'DATA_DIR'` (the secret lives there). */
@Module({ providers: [JwtAuthGuard, { provide: APP_GUARD, useExisting: JwtAuthGuard }], exports: [JwtAuthGuard] })
export class AuthModule {}
