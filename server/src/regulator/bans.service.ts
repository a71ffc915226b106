import type { Db } from '../db/open';
import { addDays, addYears, dayOf, isDay } from '../integrity/dates';
import type { BanInput, BanListState, BanSaved, LiftBanInput } from '../protocol/regulator-admin';
import type { BanListBody, ProvinceBanRecord } from '../protocol/regulator';
import { banListSha256 } from '../shared/link-signing';
import type { Clock } from '../shared/clock';
import { AppError, notFound } from '../shared/errors';
import type { BanRow } from '../protocol/regulator-admin';
import { BansRepo, type PublishedList } from './bans.repo';
import type { RegulatorLink } from './link.service';

/** 失信 organisations are barred for three years from the decision (the last day is the day before the anniversary). */
export const organisationBarredUntil = (decisionDate: string): string => addDays(addYears(decisionDate, 3), -1);

/**
 * Province-wide bans (issue 14): disciplinary records (permanent) and dishonest organisations (3 years), kept by
 * the regulator and published as one signed, versioned list. Every change publishes the next version to every
 * centre; a lifted record is simply absent from it (a centre cannot lift one itself).
 */
export class BansService {
  private readonly repo: BansRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly link: RegulatorLink,
    repo?: BansRepo,
  ) {
    this.repo = repo ?? new BansRepo(db);
  }

  state(): BanListState {
    const latest = this.repo.latestList();
    return { version: latest?.version ?? 0, issuedAt: latest?.issuedAt ?? null, bans: this.repo.all() };
  }

  add(input: BanInput, actor: string): BanSaved {
    if (!isDay(input.decisionDate))
      throw new AppError('invalid-input', `decisionDate: not a date: ${input.decisionDate}`);
    if (input.decisionDate > dayOf(this.clock.now()))
      throw new AppError('decision-in-future', 'the decision date lies in the future');
    const subject = input.kind === 'person' ? input.idNumber : input.creditCode;
    return this.db.transaction(() => {
      if (this.repo.notLifted().some((b) => b.subject === subject && b.documentNo === input.documentNo))
        throw new AppError('ban-duplicate', `${subject} is already recorded under ${input.documentNo}`, 409);
      const barredUntil = input.kind === 'organisation' ? organisationBarredUntil(input.decisionDate) : null;
      const id = this.repo.insert(input, barredUntil, this.clock.now(), actor);
      const { version, queuedTo } = this.publish();
      return { ban: this.repo.byId(id) as BanRow, version, queuedTo };
    })();
  }

  lift(id: number, input: LiftBanInput, actor: string): BanSaved {
    return this.db.transaction(() => {
      const ban = this.repo.byId(id);
      if (!ban) throw notFound('ban');
      if (ban.lifted) throw new AppError('ban-already-lifted', 'this record was already lifted', 409);
      this.repo.lift(id, input, this.clock.now(), actor);
      const { version, queuedTo } = this.publish();
      return { ban: this.repo.byId(id) as BanRow, version, queuedTo };
    })();
  }

  /** The list as published now, or a first (empty) version when none was: a new centre gets a list at once. */
  current(): PublishedList {
    const latest = this.repo.latestList();
    if (latest) return latest;
    this.publish();
    return this.repo.latestList() as PublishedList;
  }

  /** Publishes the next version with every record in force and queues it to every registered centre. */
  private publish(): { version: number; queuedTo: number } {
    const now = this.clock.now();
    const today = dayOf(now);
    const records = this.repo
      .notLifted()
      .filter((b) => b.barredUntil === null || b.barredUntil >= today)
      .map(toRecord);
    const body: BanListBody = { version: (this.repo.latestList()?.version ?? 0) + 1, issuedAt: now, records };
    this.repo.insertList(body, banListSha256(body));
    return { version: body.version, queuedTo: this.link.queueToAll('bans.list', body) };
  }
}

function toRecord(b: BanRow): ProvinceBanRecord {
  const common = { id: b.id, name: b.name, decisionDate: b.decisionDate, authority: b.authority };
  return b.kind === 'person'
    ? {
        kind: 'person',
        ...common,
        idNumber: b.subject,
        reason: b.reason ?? 'conduct',
        documentNo: b.documentNo,
        summary: b.summary,
      }
    : {
        kind: 'organisation',
        ...common,
        creditCode: b.subject,
        barredUntil: b.barredUntil ?? organisationBarredUntil(b.decisionDate),
        documentNo: b.documentNo,
        summary: b.summary,
      };
}
