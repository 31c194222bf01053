import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'cbec:public';

/** Marks a route that needs no token (`/health`). Everything else under `/api/v1` is authenticated. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
