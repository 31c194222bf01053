import { Money } from '../shared/money';
import { Uscc } from '../shared/uscc';
import {
  CalendarDate,
  CaseFacts,
  Claims,
  CUSTOMS_FIGURES,
  compareDates,
  CustomsRecord,
  daysInMonth,
  DeclaredService,
  formatDate,
  RegisteredDivision,
  Suspension,
  ExternalAward,
  InvalidCaseInput,
  PlatformFee,
  StatedFigures,
} from './case-facts';
import { AwardRecord } from './ledger-rules';
import { isDivisionCode } from '../shared/division';
import { BeneficiaryKind, PLATFORM_SERVICE_ZH, PLATFORM_SERVICES, PlatformService } from './policy';
import { parseProgramId, ProgramId } from './programs';
import { ClaimKey, programEntry } from './programs/index';

/**
 * The strict parser of docs/api.md's `evaluate` input. Every missing or malformed field is a typed error
 * naming its path (`customs[0].export9610Usd`, `claims.platformFeesCny[1]`); only the fields the chosen
 * program needs are required. Unknown fields are refused too: a misspelt figure must not be read as absent.
 */

type Json = Record<string, unknown>;

const fail = (field: string, detail: string): never => {
  throw new InvalidCaseInput(field, detail);
};

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `"${value}"` : typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function asObject(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, `must be an object, got ${describe(value)}`);
  return value as Json;
}

function asArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, `must be an array, got ${describe(value)}`);
  return value as unknown[];
}

function onlyKeys(obj: Json, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) fail(path ? `${path}.${key}` : key, `is not a known field here; expected one of ${allowed.join(', ')}`);
  }
}

function required(obj: Json, key: string, path: string, why?: string): unknown {
  const value = obj[key];
  if (value === undefined) fail(path ? `${path}.${key}` : key, `is missing${why ? ` (${why})` : ''}`);
  return value;
}

function at(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function asBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, `must be true or false, got ${describe(value)}`);
  return value as boolean;
}

function asYear(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1000 || value > 9999) {
    fail(path, `must be a calendar year such as 2019, got ${describe(value)}`);
  }
  return value as number;
}

function asText(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(path, `must be a non-empty string, got ${describe(value)}`);
  return value as string;
}

export function parseCalendarDate(value: unknown, path: string): CalendarDate {
  const m = typeof value === 'string' ? /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(value) : null;
  if (!m) return fail(path, `must be a date "YYYY-MM-DD", got ${describe(value)}`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) fail(path, `"${value}" is not a calendar date`);
  return { year, month, day };
}

const KINDS: readonly BeneficiaryKind[] = ['enterprise', 'platform', 'park'];

function parseCustomsRecord(value: unknown, path: string): CustomsRecord {
  const obj = asObject(value, path);
  onlyKeys(obj, ['year', 'uscc', 'name', 'source', ...CUSTOMS_FIGURES], path);
  const year = asYear(required(obj, 'year', path), at(path, 'year'));
  const uscc = Uscc.parse(required(obj, 'uscc', path), at(path, 'uscc')).value;
  const source = obj.source === undefined ? `customs:${year}:${uscc}` : asText(obj.source, at(path, 'source'));
  const record: CustomsRecord = { year, uscc, source, path };
  for (const key of CUSTOMS_FIGURES) {
    const raw = obj[key];
    if (raw === undefined) continue;
    record[key] = raw === null ? null : Money.parse(raw, 'USD', at(path, key));
  }
  return record;
}

function parseStated(value: unknown, path: string, beneficiary: string): StatedFigures {
  const obj = asObject(value, path);
  onlyKeys(obj, ['year', 'uscc', ...CUSTOMS_FIGURES], path);
  const year = asYear(required(obj, 'year', path), at(path, 'year'));
  const uscc = obj.uscc === undefined ? beneficiary : Uscc.parse(obj.uscc, at(path, 'uscc')).value;
  const stated: StatedFigures = { year, uscc, path };
  for (const key of CUSTOMS_FIGURES) {
    if (obj[key] !== undefined) stated[key] = Money.parse(obj[key], 'USD', at(path, key));
  }
  return stated;
}

function parseUsccList(value: unknown, path: string): Uscc[] {
  return asArray(value, path).map((item, i) => Uscc.parse(item, `${path}[${i}]`));
}

/**
 * Where an enterprise is registered, as the case file states it: a GB/T 2260 code ("341502"), or
 * `{ code, documentNo?, date? }` naming the registry extract it comes from.
 */
function parseRegisteredDivision(value: unknown, path: string): RegisteredDivision {
  if (typeof value === 'string') {
    if (!isDivisionCode(value)) fail(path, `must be a GB/T 2260 division code of six digits such as "341502", got ${describe(value)}`);
    return { code: value, source: path, byRegister: false };
  }
  const obj = asObject(value, path);
  onlyKeys(obj, ['code', 'documentNo', 'date'], path);
  const code = required(obj, 'code', path);
  if (!isDivisionCode(code)) fail(at(path, 'code'), `must be a GB/T 2260 division code of six digits such as "341502", got ${describe(code)}`);
  const documentNo = obj.documentNo === undefined ? undefined : asText(obj.documentNo, at(path, 'documentNo'));
  const date = obj.date === undefined ? undefined : formatDate(parseCalendarDate(obj.date, at(path, 'date')));
  return { code: code as string, source: [path, documentNo, date].filter((x) => x !== undefined).join(' '), byRegister: false };
}

/** Recruits: a USCC each, or `{ uscc, registeredDivision? }` stating where the recruit is registered. */
function parseRecruits(value: unknown, path: string, registered: Record<string, RegisteredDivision>): Uscc[] {
  return asArray(value, path).map((item, i) => {
    const itemPath = `${path}[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return Uscc.parse(item, itemPath);
    const obj = item as Json;
    onlyKeys(obj, ['uscc', 'registeredDivision'], itemPath);
    const uscc = Uscc.parse(required(obj, 'uscc', itemPath), at(itemPath, 'uscc'));
    if (obj.registeredDivision !== undefined) registered[uscc.value] = parseRegisteredDivision(obj.registeredDivision, at(itemPath, 'registeredDivision'));
    return uscc;
  });
}

const SERVICE_BY_NAME: Readonly<Record<string, PlatformService>> = Object.fromEntries([
  ...PLATFORM_SERVICES.map((s) => [s, s]),
  ...PLATFORM_SERVICES.map((s) => [PLATFORM_SERVICE_ZH[s], s]),
]) as Record<string, PlatformService>;

/**
 * P3a: `[{ service, evidence }]`, a service by its code (`customs-clearance`) or its Chinese name (通关); also
 * `{ "通关": "evidence", ... }`, and a bare name in the list (a service declared without evidence, which does not count).
 */
function parseServices(value: unknown, path: string): DeclaredService[] {
  const serviceOf = (name: unknown, at_: string): PlatformService => {
    const service = typeof name === 'string' ? SERVICE_BY_NAME[name] : undefined;
    if (service === undefined) {
      return fail(at_, `must be one of ${PLATFORM_SERVICES.map((s) => `${s} (${PLATFORM_SERVICE_ZH[s]})`).join(', ')}, got ${describe(name)}`);
    }
    return service;
  };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return Object.entries(value as Json).map(([name, evidence]) => {
      const itemPath = at(path, name);
      const service = serviceOf(name, itemPath);
      return evidence === null ? { service, path: itemPath } : { service, evidence: asText(evidence, itemPath), path: itemPath };
    });
  }
  return asArray(value, path).map((item, i) => {
    const itemPath = `${path}[${i}]`;
    if (typeof item === 'string') return { service: serviceOf(item, itemPath), path: itemPath };
    const obj = asObject(item, itemPath);
    onlyKeys(obj, ['service', 'evidence'], itemPath);
    const declared: DeclaredService = { service: serviceOf(required(obj, 'service', itemPath), at(itemPath, 'service')), path: itemPath };
    if (obj.evidence !== undefined) declared.evidence = asText(obj.evidence, at(itemPath, 'evidence'));
    return declared;
  });
}

/** P3a 正常运营: `[{ from, to? }]`, the times the platform declares it did not operate. */
function parseSuspensions(value: unknown, path: string): Suspension[] {
  return asArray(value, path).map((item, i) => {
    const itemPath = `${path}[${i}]`;
    const obj = asObject(item, itemPath);
    onlyKeys(obj, ['from', 'to', 'note'], itemPath);
    const suspension: Suspension = { from: parseCalendarDate(required(obj, 'from', itemPath), at(itemPath, 'from')), path: itemPath };
    if (obj.to !== undefined) {
      suspension.to = parseCalendarDate(obj.to, at(itemPath, 'to'));
      if (compareDates(suspension.to, suspension.from) < 0) fail(at(itemPath, 'to'), 'is before from');
    }
    if (obj.note !== undefined) asText(obj.note, at(itemPath, 'note'));
    return suspension;
  });
}

function parseFees(value: unknown, path: string): PlatformFee[] {
  return asArray(value, path).map((item, i) => {
    const itemPath = `${path}[${i}]`;
    if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
      const obj = item as Json;
      onlyKeys(obj, ['amountCny', 'invoiceRef'], itemPath);
      const amount = Money.parse(required(obj, 'amountCny', itemPath), 'CNY', at(itemPath, 'amountCny'));
      const fee: PlatformFee = { amount, path: at(itemPath, 'amountCny') };
      if (obj.invoiceRef !== undefined) fee.invoiceRef = asText(obj.invoiceRef, at(itemPath, 'invoiceRef'));
      return fee;
    }
    return { amount: Money.parse(item, 'CNY', itemPath), path: itemPath };
  });
}

function parseClaims(obj: Json, program: ProgramId, beneficiary: string, registered: Record<string, RegisteredDivision>): Claims {
  const path = 'claims';
  onlyKeys(
    obj,
    [
      'promotesOnThirdPartyPlatform',
      'usesThirdPartyPlatform',
      'services',
      'suspensions',
      'platformFeesCny',
      'investmentCny',
      'operatingSince',
      'servedEnterprises',
      'recruits',
      'otherMunicipalTradeAward',
      'waivesOtherMunicipalAward',
      'provincialRecognition',
      'statedCustoms',
    ],
    path,
  );
  // What the program's entry (programs/<id>.program.ts) says an application must carry.
  const entry = programEntry(program);
  const needs = (key: ClaimKey): unknown => {
    if ((entry.claims as readonly ClaimKey[]).includes(key)) return required(obj, key, path, `${program} needs it`);
    return obj[key];
  };
  const claims: Claims = {};
  const promotes = needs('promotesOnThirdPartyPlatform');
  if (promotes !== undefined) claims.promotesOnThirdPartyPlatform = asBoolean(promotes, at(path, 'promotesOnThirdPartyPlatform'));
  if (obj.usesThirdPartyPlatform !== undefined) claims.usesThirdPartyPlatform = asBoolean(obj.usesThirdPartyPlatform, at(path, 'usesThirdPartyPlatform'));
  if (obj.services !== undefined) claims.services = parseServices(obj.services, at(path, 'services'));
  if (obj.suspensions !== undefined) claims.suspensions = parseSuspensions(obj.suspensions, at(path, 'suspensions'));
  const fees = needs('platformFeesCny');
  if (fees !== undefined) claims.platformFeesCny = parseFees(fees, at(path, 'platformFeesCny'));
  const investment = needs('investmentCny');
  if (investment !== undefined) claims.investmentCny = Money.parse(investment, 'CNY', at(path, 'investmentCny'));
  const since = needs('operatingSince');
  if (since !== undefined) claims.operatingSince = parseCalendarDate(since, at(path, 'operatingSince'));
  const served = needs('servedEnterprises');
  if (served !== undefined) claims.servedEnterprises = parseUsccList(served, at(path, 'servedEnterprises'));
  const recruits = needs('recruits');
  if (recruits !== undefined) claims.recruits = parseRecruits(recruits, at(path, 'recruits'), registered);
  const other = needs('otherMunicipalTradeAward');
  if (other !== undefined) claims.otherMunicipalTradeAward = asBoolean(other, at(path, 'otherMunicipalTradeAward'));
  if (obj.waivesOtherMunicipalAward !== undefined) {
    claims.waivesOtherMunicipalAward = asBoolean(obj.waivesOtherMunicipalAward, at(path, 'waivesOtherMunicipalAward'));
  }
  const recognition = needs('provincialRecognition');
  if (recognition !== undefined) {
    const rPath = at(path, 'provincialRecognition');
    const r = asObject(recognition, rPath);
    onlyKeys(r, ['documentNo', 'date'], rPath);
    claims.provincialRecognition = {
      documentNo: asText(required(r, 'documentNo', rPath), at(rPath, 'documentNo')),
      date: parseCalendarDate(required(r, 'date', rPath), at(rPath, 'date')),
    };
  }
  if (obj.statedCustoms !== undefined) {
    claims.statedCustoms = asArray(obj.statedCustoms, at(path, 'statedCustoms')).map((s, i) => parseStated(s, `${path}.statedCustoms[${i}]`, beneficiary));
  }
  return claims;
}

function parseHistory(value: unknown): { history: AwardRecord[]; externalAwards: ExternalAward[] } {
  const history: AwardRecord[] = [];
  const externalAwards: ExternalAward[] = [];
  asArray(value, 'history').forEach((item, i) => {
    const path = `history[${i}]`;
    const obj = asObject(item, path);
    onlyKeys(obj, ['program', 'year', 'amountCny', 'ref', 'recruits'], path);
    const rawProgram = required(obj, 'program', path);
    const year = asYear(required(obj, 'year', path), at(path, 'year'));
    const ref = obj.ref === undefined ? undefined : asText(obj.ref, at(path, 'ref'));
    if (rawProgram === 'municipal-foreign-trade') {
      // 与市级外贸政策不重复享受: an award under another municipal policy, recorded by COM.
      if (obj.amountCny !== undefined) Money.parse(obj.amountCny, 'CNY', at(path, 'amountCny'));
      externalAwards.push(ref === undefined ? { kind: 'municipal-foreign-trade', year, path } : { kind: 'municipal-foreign-trade', year, ref, path });
      return;
    }
    let program: ProgramId;
    try {
      program = parseProgramId(rawProgram, at(path, 'program'));
    } catch {
      return fail(
        at(path, 'program'),
        `must be a program id (P1, P2a, P2b, P3a, P3b, P4, or its long name) or "municipal-foreign-trade", got ${describe(rawProgram)}`,
      );
    }
    const record: AwardRecord = {
      program,
      year,
      amountCny: Money.parse(required(obj, 'amountCny', path), 'CNY', at(path, 'amountCny')),
    };
    if (ref !== undefined) record.ref = ref;
    if (obj.recruits !== undefined) record.recruits = parseUsccList(obj.recruits, at(path, 'recruits')).map((u) => u.value);
    history.push(record);
  });
  return { history, externalAwards };
}

/** Parses docs/api.md's `evaluate` JSON into validated case facts, or throws a typed error naming the field. */
export function parseEvaluationInput(json: unknown): CaseFacts {
  const root = asObject(json, '(input)');
  onlyKeys(root, ['program', 'year', 'beneficiary', 'customs', 'customsYears', 'claims', 'history', 'recruitsCountedElsewhere', 'policyVersion'], '');
  const program = parseProgramId(required(root, 'program', ''), 'program');
  const year = asYear(required(root, 'year', ''), 'year');
  const policyVersion = root.policyVersion === undefined ? undefined : asText(root.policyVersion, 'policyVersion');

  const b = asObject(required(root, 'beneficiary', ''), 'beneficiary');
  onlyKeys(b, ['uscc', 'kind', 'manufacturing', 'name', 'registeredDivision'], 'beneficiary');
  const uscc = Uscc.parse(required(b, 'uscc', 'beneficiary'), 'beneficiary.uscc');
  const beneficiary: CaseFacts['beneficiary'] = { uscc };
  const registered: Record<string, RegisteredDivision> = {};
  if (b.registeredDivision !== undefined) registered[uscc.value] = parseRegisteredDivision(b.registeredDivision, 'beneficiary.registeredDivision');
  if (b.kind !== undefined) {
    if (!KINDS.includes(b.kind as BeneficiaryKind)) fail('beneficiary.kind', `must be one of ${KINDS.join(', ')}, got ${describe(b.kind)}`);
    beneficiary.kind = b.kind as BeneficiaryKind;
  }
  const entry = programEntry(program);
  const manufacturing = (entry.beneficiaryFacts as readonly string[]).includes('manufacturing')
    ? required(b, 'manufacturing', 'beneficiary', `${program} needs it`)
    : b.manufacturing;
  if (manufacturing !== undefined) beneficiary.manufacturing = asBoolean(manufacturing, 'beneficiary.manufacturing');

  const needsCustoms = entry.figures.beneficiary.length + entry.figures.recruits.length > 0;
  const rawCustoms = needsCustoms ? required(root, 'customs', '', `${program} reads customs statistics`) : root.customs;
  const customs = rawCustoms === undefined ? [] : asArray(rawCustoms, 'customs').map((c, i) => parseCustomsRecord(c, `customs[${i}]`));
  const seen = new Map<string, string>();
  for (const c of customs) {
    const key = `${c.year}:${c.uscc}`;
    const earlier = seen.get(key);
    if (earlier) fail(c.path, `duplicates ${earlier}: one customs record per enterprise and year`);
    seen.set(key, c.path);
  }

  const rawClaims = entry.claims.length === 0 ? root.claims : required(root, 'claims', '', `${program} needs claims`);
  const claims = rawClaims === undefined ? {} : parseClaims(asObject(rawClaims, 'claims'), program, uscc.value, registered);

  // A year whose statistics were imported: one the case file lists, or one it carries a record of.
  const listed = root.customsYears === undefined ? [] : asArray(root.customsYears, 'customsYears').map((y, i) => asYear(y, `customsYears[${i}]`));
  const customsYears = [...new Set([...listed, ...customs.map((c) => c.year)])].sort((a, b) => a - b);

  // Only the figures the program reads are required, on the records it reads them from.
  const recruitSet = new Set((claims.recruits ?? []).map((r) => r.value));
  for (const c of customs) {
    const needed = [...(c.uscc === uscc.value ? entry.figures.beneficiary : []), ...(recruitSet.has(c.uscc) ? entry.figures.recruits : [])];
    for (const key of needed) {
      if (c[key] === undefined) fail(`${c.path}.${key}`, `is missing (${program} reads it; use null if customs record none)`);
    }
  }

  const { history, externalAwards } = root.history === undefined ? { history: [], externalAwards: [] } : parseHistory(root.history);
  const recruitsCountedElsewhere =
    root.recruitsCountedElsewhere === undefined ? [] : parseUsccList(root.recruitsCountedElsewhere, 'recruitsCountedElsewhere').map((u) => u.value);

  const facts: CaseFacts = { program, year, beneficiary, registered, customs, customsYears, claims, history, externalAwards, recruitsCountedElsewhere };
  if (policyVersion !== undefined) facts.policyVersion = policyVersion;
  return facts;
}
