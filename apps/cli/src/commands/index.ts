import type { CliCommand } from '../cli';
import { auditCommand } from './audit.command';
import { backupCommand, restoreCommand } from './backup.command';
import { calendarCommand } from './calendar.command';
import { evaluateCommand } from './evaluate.command';
import { policyCommand } from './policy.command';
import { projectionsCommand } from './projections.command';
import { tokenCommand } from './token.command';
import { usersCommand } from './users.command';

// The command registry: one line per command, each implemented in its own file beside this one.
export const commands: CliCommand[] = [
  auditCommand,
  backupCommand,
  calendarCommand,
  evaluateCommand,
  policyCommand,
  projectionsCommand,
  restoreCommand,
  tokenCommand,
  usersCommand,
];
