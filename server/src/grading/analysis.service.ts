import type { Db } from '../db/open';
import type { Day } from '../integrity/dates';
import type { GradingService } from './grading.service';
import { itemStatistics, passRateChanges, scoreHistogram, type ItemStats, type PassRateRow } from './item-analysis';
import { dayRange } from './reports.service';
import { ReportsRepo } from './reports.repo';

export type ItemAnalysis = {
  category: string;
  from: Day;
  to: Day;
  responses: number;
  candidates: number;
  items: (ItemStats & { stem: string; type: string; knowledgePoint: string; options: string[]; key: number[] })[];
  histogram: { from: number; to: number; count: number }[];
  passRates: { byCategory: PassRateRow[]; byTrainingOrg: PassRateRow[] };
};

/** Item analysis for bank keepers across sessions (read-only; bank content, so bank_keeper and admin only). */
export class AnalysisService {
  private readonly repo: ReportsRepo;

  constructor(
    db: Db,
    private readonly grading: GradingService,
  ) {
    this.repo = new ReportsRepo(db);
  }

  itemAnalysis(category: string, from: Day, to: Day): ItemAnalysis {
    const [a, b] = dayRange(from, to);
    const settings = this.grading.settings().itemAnalysis;
    const rows = this.repo.responses(category, a, b);
    const stats = itemStatistics(rows, settings);
    const texts = this.repo.itemTexts(stats.map((s) => s.itemHash));
    return {
      category,
      from,
      to,
      responses: rows.length,
      candidates: new Set(rows.map((r) => r.registrationId)).size,
      items: stats.map((s) => {
        const t = texts.get(s.itemHash);
        return {
          ...s,
          stem: t?.stem ?? '',
          type: t?.type ?? '',
          knowledgePoint: t?.knowledgePoint ?? '',
          options: t?.options ?? [],
          key: t?.answer ?? [],
        };
      }),
      histogram: scoreHistogram(this.repo.scores(a, b, category)),
      passRates: this.passRates(from, to, category),
    };
  }

  passRates(from: Day, to: Day, category?: string): { byCategory: PassRateRow[]; byTrainingOrg: PassRateRow[] } {
    const [a, b] = dayRange(from, to);
    const settings = this.grading.settings().itemAnalysis;
    return {
      byCategory: passRateChanges(this.repo.outcomes('category', a, b, category), settings),
      byTrainingOrg: passRateChanges(this.repo.outcomes('training-org', a, b, category), settings),
    };
  }
}
