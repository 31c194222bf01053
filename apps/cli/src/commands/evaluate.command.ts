import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { evaluate, evaluationToJson, isInputError, renderTrace } from '@cbec/domain';
import { CliCommand, CliUsageError, parseFlags } from '../cli';
import { localeFlag } from '../locale-flag';

/**
 * `evaluate <case.json> [--lang zh-CN|en] [--now ISO-8601]` (docs/api.md): the policy engine, pure, no store
 * involved; the clock (default: the machine's) refuses an award year not over, as the submission does. Prints the
 * evaluation, its trace rendered for people in Chinese (default) or English (docs/chinese.md);
 * exit 0 eligible, 1 refused by the rules (the JSON still says why), 2 bad input (one JSON line on
 * stderr naming the field).
 */
export const evaluateCommand: CliCommand = {
  name: 'evaluate',
  usage: 'evaluate <case.json> [--lang zh-CN|en] [--now 2020-01-02T00:00:00Z]',
  async run(args, io) {
    const { positional, flags } = parseFlags(args);
    const unknown = Object.keys(flags).find((f) => f !== 'lang' && f !== 'now');
    if (unknown !== undefined) throw new CliUsageError(`evaluate takes only --lang and --now, got --${unknown}`);
    const locale = localeFlag(flags);
    const now = flags.now === undefined ? new Date() : new Date(flags.now);
    if (Number.isNaN(now.getTime())) throw new CliUsageError(`--now must be an instant such as 2020-01-02T00:00:00Z, got "${flags.now}"`);
    if (positional.length !== 1) throw new CliUsageError('evaluate needs exactly one case file: evaluate <case.json>');
    const path = resolve(io.cwd, positional[0]);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      io.err({ error: `cannot read ${positional[0]}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, field: 'FILE', code: 'unreadable-file' });
      return 2;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      io.err({ error: `${positional[0]} is not valid JSON: ${(e as Error).message}`, field: '(input)', code: 'invalid-json' });
      return 2;
    }
    try {
      const out = evaluationToJson(evaluate(json, undefined, { now }));
      io.out({ ...out, trace: renderTrace(out.trace, locale) });
      return out.eligible ? 0 : 1;
    } catch (e) {
      if (isInputError(e)) {
        io.err({ error: e.message, field: e.field, code: e.code });
        return 2;
      }
      throw e;
    }
  },
};
