import { PipeTransform } from '@nestjs/common';
import { Uscc } from '@cbec/domain';
import { BadRequest } from '../http/errors';

/** A USCC in a path: validated (GB 32100-2015 check character), else a 400 naming it. */
export const usccPipe: PipeTransform<string, string> = {
  transform(value: string): string {
    try {
      return Uscc.parse(value, 'uscc').value;
    } catch (e) {
      throw new BadRequest((e as Error).message, [{ field: 'uscc', reason: (e as Error).message }]);
    }
  },
};
