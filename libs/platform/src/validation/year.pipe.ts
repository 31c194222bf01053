import { PipeTransform } from '@nestjs/common';
import { BadRequest } from '../http/errors';

/** A year in a path (`/funds/{year}`): an integer 2000-2100, else a 400 naming it. */
export const yearPipe: PipeTransform<string, number> = {
  transform(value: string): number {
    if (!/^\d{4}$/.test(value) || Number(value) < 2000 || Number(value) > 2100) {
      throw new BadRequest(`year must be a calendar year between 2000 and 2100, got ${JSON.stringify(value)}`, [
        { field: 'year', reason: 'must be a calendar year between 2000 and 2100' },
      ]);
    }
    return Number(value);
  },
};
