import { DomainError } from '../decider';

/** Bad account input; `field` names it. Never carries a password. */
export class InvalidAccountInput extends DomainError {
  readonly code = 'invalid-command';
  readonly httpStatus = 400;
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** 等保2.0 level 3: at least 8 characters from at least three classes. Lists what is missing, never the password. */
export class WeakPassword extends DomainError {
  readonly code = 'weak-password';
  readonly httpStatus = 422;
  readonly field = 'password';
  constructor(readonly problems: string[]) {
    super(`password refused: ${problems.join('; ')}`);
  }
}

export class AccountNotFound extends DomainError {
  readonly code = 'account-not-found';
  readonly httpStatus = 404;
  constructor(readonly username: string) {
    super(`no account "${username}"`);
  }
}

export class AccountExists extends DomainError {
  readonly code = 'account-exists';
  readonly httpStatus = 409;
  constructor(readonly username: string) {
    super(`an account "${username}" exists already`);
  }
}

/** Separation of duties: accounts are managed by ADMIN; COM officers may create applicant accounts only. */
export class AccountChangeForbidden extends DomainError {
  readonly code = 'forbidden';
  readonly httpStatus = 403;
  constructor(reason: string) {
    super(reason);
  }
}
