/**
 * Not an error: the first answer to a repeated `Idempotency-Key`, which the problem filter sends as it was
 * (same status and body, with `Idempotent-Replayed: true`) instead of running the handler again.
 */
export class IdempotentReplay {
  constructor(readonly answer: { status: number; body: unknown }) {}
}
