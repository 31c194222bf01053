import { describePolicy, getPolicy, isInputError, UnknownPolicyVersion } from '@cbec/domain';
import { CliCommand, CliUsageError, parseFlags } from '../cli';

/**
 * `policy show [--version V]` (docs/policy.md): every parameter and every reading of a policy version, in
 * Chinese, each reading with its clause, the words it reads, the value taken and why. Default: LZB-2019-4.
 */
export const policyCommand: CliCommand = {
  name: 'policy',
  usage: 'policy show [--version LZB-2019-4]',
  async run(args, io) {
    const { positional, flags } = parseFlags(args);
    if (positional.length !== 1 || positional[0] !== 'show') throw new CliUsageError('policy takes one subcommand: policy show [--version V]');
    const unknown = Object.keys(flags).find((f) => f !== 'version');
    if (unknown !== undefined) throw new CliUsageError(`policy show takes only --version, got --${unknown}`);
    try {
      io.out(describePolicy(getPolicy(flags.version)));
      return 0;
    } catch (e) {
      if (e instanceof UnknownPolicyVersion || isInputError(e)) {
        io.err({ error: e.message, field: '--version', code: (e as UnknownPolicyVersion).code });
        return 2;
      }
      throw e;
    }
  },
};
