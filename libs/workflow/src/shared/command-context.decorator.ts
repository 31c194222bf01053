import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { CommandContext } from '@cbec/platform';

/** The CommandContext the global CommandContextGuard built for this command request. */
export const CommandCtx = createParamDecorator((_data: unknown, ctx: ExecutionContext): CommandContext => {
  const context = ctx.switchToHttp().getRequest<{ commandContext?: CommandContext }>().commandContext;
  if (!context) throw new Error('no command context: CommandContextGuard did not run (AuthModule installs it)');
  return context;
});
