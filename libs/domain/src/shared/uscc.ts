/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character over the first 17.
 * Characters 3-8 are the administrative-division code where the entity is registered.
 */
// 31 characters (I, O, S, V, Z excluded), so every residue mod 31 has one check character.
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export class InvalidUscc extends Error {
  readonly code = 'invalid-uscc';
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${field}: ${detail}`);
    this.name = 'InvalidUscc';
  }
}

/** The check character GB 32100-2015 prescribes for 17 leading characters (31 - sum mod 31; 31 -> 0). */
export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CHARSET.indexOf(first17[i]);
    if (v < 0) throw new RangeError(`"${first17[i]}" is not a USCC character`);
    sum += v * WEIGHTS[i];
  }
  const c = 31 - (sum % 31);
  return CHARSET[c === 31 ? 0 : c];
}

export class Uscc {
  private constructor(readonly value: string) {}

  /** Validates length, character set, the division code and the check character; errors name `field`. */
  static parse(text: unknown, field = 'uscc'): Uscc {
    if (typeof text !== 'string') {
      throw new InvalidUscc(field, `must be an 18-character USCC string, got ${text === null ? 'null' : typeof text}`);
    }
    if (text.length !== 18) throw new InvalidUscc(field, `"${text}" has ${text.length} characters; a USCC has 18`);
    for (let i = 0; i < 18; i++) {
      if (!CHARSET.includes(text[i])) {
        throw new InvalidUscc(field, `"${text}" has "${text[i]}" at position ${i + 1}; a USCC uses only 0-9 and the capitals ${CHARSET.slice(10)}`);
      }
    }
    if (!/^[0-9]{6}$/.test(text.slice(2, 8))) {
      throw new InvalidUscc(field, `"${text}": characters 3-8 must be the 6-digit administrative-division code`);
    }
    const expected = usccCheckCharacter(text.slice(0, 17));
    if (text[17] !== expected) {
      throw new InvalidUscc(field, `"${text}" has check character "${text[17]}"; GB 32100-2015 gives "${expected}"`);
    }
    return new Uscc(text);
  }

  static isValid(text: unknown): boolean {
    try {
      Uscc.parse(text);
      return true;
    } catch {
      return false;
    }
  }

  /** Characters 3-8: the administrative division of registration (e.g. 341502 = 六安市金安区). */
  get divisionCode(): string {
    return this.value.slice(2, 8);
  }

  /** "registered in the city": the division code starts with the policy's prefix (六安市 = '3415'). */
  isRegisteredIn(divisionPrefix: string): boolean {
    return this.divisionCode.startsWith(divisionPrefix);
  }

  equals(other: Uscc): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }

  toJSON(): string {
    return this.value;
  }
}
