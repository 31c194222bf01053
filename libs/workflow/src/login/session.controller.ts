import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor } from '@cbec/event-store';
import {
  AccountsService,
  AUTH_SETTINGS,
  AuthSettings,
  CurrentActor,
  Public,
  clearedSessionCookie,
  overHttps,
  sessionCookie,
  sessionIdFrom,
  ApiDoes,
  ApiProblems,
  AUTH_PROBLEMS,
  Unauthorized,
  CLOCK,
  Clock,
} from '@cbec/platform';
import { LoginRequest, SessionAnswer } from './login.request';

type HttpRequest = { protocol?: string; headers: Record<string, string | string[] | undefined> };

/**
 * One answer for a wrong password, an unknown user, a disabled or a locked account: the caller learns
 * nothing about which accounts exist or their state (the lock-out is in the account's history).
 */
export const LOGIN_REFUSED = 'wrong username or password, or this account may not log in now';

/** Logging in and out with a password (docs/api.md, "Sessions"): the session travels in an HttpOnly cookie. */
@ApiTags('session')
@Controller('session')
export class SessionController {
  constructor(
    private readonly accounts: AccountsService,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @Public()
  @HttpCode(201)
  @ApiDoes('Log in with a password: sets the session cookie and answers the X-CSRF-Token to send with changes', {
    callers: 'anyone with an account',
    public: true,
    description:
      'Sets `cbec_session` (HttpOnly, SameSite=Strict, Path=/api/v1; Secure over HTTPS). The session ends after the idle time, at logout, or when an administrator changes the account.',
  })
  @ApiCreatedResponse({
    type: SessionAnswer,
    headers: { 'Set-Cookie': { description: 'cbec_session=<id>; Max-Age=<s>; Path=/api/v1; HttpOnly; SameSite=Strict[; Secure]', schema: { type: 'string' } } },
  })
  @ApiProblems({ 400: 'username or password missing or not a string', 401: LOGIN_REFUSED })
  async login(@Body() body: LoginRequest, @Req() request: HttpRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionAnswer> {
    const loggedIn = await this.accounts.login(body.username, body.password, this.clock.now());
    if (!loggedIn) throw new Unauthorized(LOGIN_REFUSED);
    const maxAgeSeconds = this.settings.maxSessionHours * 3600;
    void reply.header('set-cookie', sessionCookie(loggedIn.sessionId, { secure: overHttps(request, this.settings.trustProxy), maxAgeSeconds }));
    const s = loggedIn.session;
    return {
      user: s.username,
      displayName: s.displayName,
      unit: s.unit,
      role: s.role,
      uscc: s.uscc,
      authenticatedBy: 'session',
      csrfToken: s.csrfToken,
      idleTimeoutSeconds: this.settings.idleMinutes * 60,
    };
  }

  @Get()
  @ApiDoes('Who is logged in: the session (or the Bearer token) of this request', { callers: 'any authenticated caller' })
  @ApiOkResponse({ type: SessionAnswer })
  @ApiProblems(AUTH_PROBLEMS)
  async who(@CurrentActor() actor: Actor, @Req() request: HttpRequest): Promise<SessionAnswer> {
    const sessionId = request.headers.authorization ? undefined : sessionIdFrom(request.headers);
    const session = sessionId === undefined ? undefined : await this.accounts.authenticate(sessionId, this.clock.now());
    return {
      user: actor.user,
      displayName: session?.displayName ?? actor.user,
      unit: actor.unit,
      role: actor.role,
      uscc: actor.uscc ?? null,
      authenticatedBy: session ? 'session' : 'token',
      csrfToken: session?.csrfToken ?? null,
      idleTimeoutSeconds: session ? this.settings.idleMinutes * 60 : null,
    };
  }

  @Delete()
  @HttpCode(204)
  @ApiDoes('Log out: ends the session and clears its cookie (with X-CSRF-Token, as every change by cookie)', { callers: 'a logged-in caller' })
  @ApiNoContentResponse({ description: 'logged out; the cookie is cleared' })
  @ApiProblems({ ...AUTH_PROBLEMS, 403: 'the X-CSRF-Token header is missing or wrong' })
  async logout(@CurrentActor() _actor: Actor, @Req() request: HttpRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const sessionId = sessionIdFrom(request.headers);
    if (sessionId !== undefined) await this.accounts.logout(sessionId);
    void reply.header('set-cookie', clearedSessionCookie(overHttps(request, this.settings.trustProxy)));
  }
}
