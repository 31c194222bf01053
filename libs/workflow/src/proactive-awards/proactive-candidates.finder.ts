import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  beneficiaryDecider,
  beneficiaryStreamId,
  findProactiveCandidates,
  ProactiveCandidate,
  ProactiveLedger,
  ProactiveSearch,
  Policy,
  registrationInYear,
  RegisteredDivision,
} from '@cbec/domain';
import type { EventStore } from '@cbec/event-store';
import { AggregateStore, EVENT_STORE, POLICY } from '@cbec/platform';
import { customsEventIdsOf, ledgerHistoryOf } from '../approve-award/approval-inputs';
import { CustomsFiguresReader } from '../approve-award/customs-figures.reader';

/** The years before the award year the customs-only programs read (P2a's growth and P2b's increment: Y-1). */
const LOOKBACK_YEARS = 1;
/** Enterprises computed between two turns of the event loop. */
const SLICE = 500;

export type FoundCandidate = ProactiveCandidate & { customsEventIds: string[] };

interface Computed {
  /** The customs streams' versions the computation read: a new import computes again. */
  key: string;
  candidates: ProactiveCandidate[];
}

/**
 * 免申即享, the shell of the pure finder (findProactiveCandidates): gathers the customs statistics in force
 * (every enterprise of the award year and the year before), the cases that exist (any status, from the log's
 * ApplicationSubmitted events, read once and then only the new ones) and the candidates' ledgers (the caps,
 * the one-time rules, the register). The customs-only computation is made at the first read after a customs
 * import (not on the import's path: a large file is not slowed by it) and kept per year until another import
 * changes the statistics it read; the cases and the ledgers are read at each call, so a case opened or an award
 * recorded since is never shown stale.
 */
@Injectable()
export class ProactiveCandidatesFinder {
  private readonly logger = new Logger('ProactiveCandidates');
  private readonly computed = new Map<number, Computed>();
  /** `${uscc} ${program} ${year}` of every case, and the log position read up to. */
  private cases = new Set<string>();
  private casesRead = 0;

  constructor(
    private readonly aggregates: AggregateStore,
    private readonly customs: CustomsFiguresReader,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(POLICY) private readonly policy: Policy,
  ) {}

  /** The candidates of `year` now (optionally only these enterprises), each with the customs events it read. */
  async find(year: number, only?: readonly string[]): Promise<FoundCandidate[]> {
    const base = [...(await this.customsOnly(year)), ...(await this.registeredHere(year, only))];
    const cases = await this.caseKeys();
    const open = base.filter((c) => !cases.has(`${c.uscc} ${c.program} ${year}`) && (!only || only.includes(c.uscc)));
    if (open.length === 0) return [];
    // The ledgers of the enterprises found: the caps and one-time rules as an approval applies them, the register.
    const ledgers: Record<string, ProactiveLedger> = {};
    for (const uscc of new Set(open.map((c) => c.uscc))) {
      const { state } = await this.aggregates.load(beneficiaryStreamId(uscc), beneficiaryDecider);
      const entry = registrationInYear(state, year);
      ledgers[uscc] = {
        history: ledgerHistoryOf(state),
        ...(entry
          ? { registered: { code: entry.division, source: `register:${uscc} ${entry.documentNo} ${entry.date} (${entry.source})`, byRegister: true } }
          : {}),
      };
    }
    const search = await this.search(year);
    const found = findProactiveCandidates({ ...search, cases: [...cases].map(parseCaseKey), ledgers, only: [...new Set(open.map((c) => c.uscc))] });
    return found.map((c) => ({ ...c, customsEventIds: customsEventIdsOf(c.trace) }));
  }

  /**
   * The enterprises whose USCC names a division outside the city but whom the beneficiary register places in it
   * in the award year: the customs-only pass reads the USCC prefix and leaves them out, so they are computed with
   * their register entry at each call (few: the register's entries are read, not kept).
   */
  private async registeredHere(year: number, only?: readonly string[]): Promise<ProactiveCandidate[]> {
    const { state } = await this.customs.year(year);
    const outside = Object.keys(state.inForce).filter((u) => !u.slice(2, 8).startsWith(this.policy.localDivisionPrefix) && (!only || only.includes(u)));
    const ledgers: Record<string, ProactiveLedger> = {};
    for (const uscc of outside) {
      const ledger = (await this.aggregates.load(beneficiaryStreamId(uscc), beneficiaryDecider)).state;
      const entry = registrationInYear(ledger, year);
      if (entry) ledgers[uscc] = { history: ledgerHistoryOf(ledger), registered: registeredBy(uscc, entry) };
    }
    const found = Object.keys(ledgers);
    if (found.length === 0) return [];
    return findProactiveCandidates({ ...(await this.search(year)), cases: [], ledgers, only: found });
  }

  private async customsOnly(year: number): Promise<ProactiveCandidate[]> {
    const years = Array.from({ length: LOOKBACK_YEARS + 1 }, (_, i) => year - LOOKBACK_YEARS + i);
    const versions = await Promise.all(years.map(async (y) => (await this.customs.year(y)).version));
    const key = versions.join(' ');
    const kept = this.computed.get(year);
    if (kept?.key === key) return kept.candidates;
    // In slices of enterprises, yielding between them: a year of hundreds of thousands of enterprises does not hold
    // the event loop for the whole computation.
    const search = await this.search(year);
    const byUscc = new Map<string, ProactiveSearch['customs'][number][]>();
    for (const r of search.customs) byUscc.set(r.uscc, [...(byUscc.get(r.uscc) ?? []), r]);
    const usccs = [...byUscc.keys()].sort();
    const candidates: ProactiveCandidate[] = [];
    for (let i = 0; i < usccs.length; i += SLICE) {
      const only = usccs.slice(i, i + SLICE);
      candidates.push(...findProactiveCandidates({ ...search, customs: only.flatMap((u) => byUscc.get(u)!), cases: [], only }));
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (candidates.length) this.logger.log(`免申即享 ${year}: ${candidates.length} award(s) the customs statistics alone prove, before the cases and ledgers`);
    this.computed.set(year, { key, candidates });
    return candidates;
  }

  private async search(year: number): Promise<Omit<ProactiveSearch, 'cases'>> {
    const years = Array.from({ length: LOOKBACK_YEARS + 1 }, (_, i) => year - LOOKBACK_YEARS + i);
    const { state } = await this.customs.year(year);
    const names: Record<string, string> = {};
    for (const [uscc, f] of Object.entries(state.inForce)) names[uscc] = f.name;
    const usccs = Object.keys(state.inForce);
    return {
      year,
      policy: this.policy,
      customs: await this.customs.records(usccs, years),
      customsYears: await this.customs.importedYears(years),
      names,
    };
  }

  private async caseKeys(): Promise<Set<string>> {
    const fresh = new Set(this.cases);
    let last = this.casesRead;
    for await (const e of this.store.readAll({ fromPosition: this.casesRead, filter: { eventTypes: ['ApplicationSubmitted'] } })) {
      const d = e.data as { beneficiary: { uscc: string }; program: string; year: number };
      fresh.add(`${d.beneficiary.uscc} ${d.program} ${d.year}`);
      last = Math.max(last, e.globalPosition);
    }
    this.cases = fresh;
    this.casesRead = last;
    return fresh;
  }
}

/** A register entry as the policy engine reads it (the approval's own reading: approval-inputs.ts). */
function registeredBy(uscc: string, entry: NonNullable<ReturnType<typeof registrationInYear>>): RegisteredDivision {
  return { code: entry.division, source: `register:${uscc} ${entry.documentNo} ${entry.date} (${entry.source})`, byRegister: true };
}

function parseCaseKey(key: string): { uscc: string; program: string; year: number } {
  const [uscc, program, year] = key.split(' ');
  return { uscc, program, year: Number(year) };
}
