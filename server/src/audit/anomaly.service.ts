import { ANSWER_EVENT_TYPES, savedAnswers } from './answer-events';
import type { Db } from '../db/open';
import type { ProctoringRepo } from '../proctoring/proctoring.repo';
import type { AnomalyReport } from '../protocol';
import type { SessionsService } from '../sessions/sessions.service';
import { ArchiveRepo } from './archive.repo';
import {
  anomalySettingsSchema,
  COPY_STATISTIC,
  detectAnomalies,
  type AnomalySettings,
  type CandidateData,
} from './anomalies';
import type { PaperLookup } from './archive.service';
import { AuditQueryRepo } from './audit-query.repo';
import { sessionChain } from './events.repo';

/** Gathers a session's answers, saves and signals and runs the anomaly rules (officials' console). */
export class AnomalyService {
  private readonly query: AuditQueryRepo;
  private readonly archive: ArchiveRepo;

  constructor(
    db: Db,
    private readonly sessions: SessionsService,
    private readonly proctoring: ProctoringRepo,
    private readonly paperOf: PaperLookup,
    readonly settings: AnomalySettings = anomalySettingsSchema.parse({}),
  ) {
    this.query = new AuditQueryRepo(db);
    this.archive = new ArchiveRepo(db);
  }

  report(sessionId: number): AnomalyReport {
    const detail = this.sessions.detail(sessionId);
    const chain = sessionChain(sessionId);
    const signals = this.proctoring.signalCounts(chain);
    const saves = new Map<number, { at: number; position: number }[]>();
    for (const e of this.query.ofTypes(chain, ANSWER_EVENT_TYPES)) {
      for (const a of savedAnswers(e)) {
        const list = saves.get(a.registrationId) ?? [];
        list.push({ at: e.at, position: a.position });
        saves.set(a.registrationId, list);
      }
    }
    const candidates: CandidateData[] = detail.roster.map((r) => {
      let paper = null;
      try {
        paper = this.paperOf(r.registrationId)?.paper ?? null;
      } catch {
        paper = null; // papers not opened (yet): only the timing rules apply
      }
      return {
        registrationId: r.registrationId,
        seatNo: r.seatNo,
        name: r.name,
        paper,
        answers: new Map(this.archive.finalAnswers(r.registrationId).map((a) => [a.position, a.choice])),
        saves: saves.get(r.registrationId) ?? [],
        signals: signals.get(r.registrationId) ?? 0,
      };
    });
    const s = this.settings;
    return {
      sessionId,
      statistic: COPY_STATISTIC,
      settings: {
        focusLossThreshold: s.focusLossThreshold,
        fastGapMs: s.fastGapMs,
        fastRunLength: s.fastRunLength,
        copyPValue: s.copyPValue,
      },
      anomalies: detectAnomalies(candidates, s),
    };
  }
}
