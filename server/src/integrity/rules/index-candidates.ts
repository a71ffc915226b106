import type { CandidateFacts } from './facts';

/**
 * Candidates indexed by ID number and organisation, so a rule looks up each declared relationship instead of
 * comparing every staff member with every candidate (2,000 × 50 must stay far below 1 s).
 */
export type CandidateIndex = {
  byIdNumber: ReadonlyMap<string, CandidateFacts>;
  byEmployer: ReadonlyMap<number, CandidateFacts[]>;
  byTrainingOrg: ReadonlyMap<number, CandidateFacts[]>;
};

const cache = new WeakMap<readonly CandidateFacts[], CandidateIndex>();

export function indexCandidates(candidates: readonly CandidateFacts[]): CandidateIndex {
  const cached = cache.get(candidates);
  if (cached) return cached;
  const byIdNumber = new Map<string, CandidateFacts>();
  const byEmployer = new Map<number, CandidateFacts[]>();
  const byTrainingOrg = new Map<number, CandidateFacts[]>();
  const push = (m: Map<number, CandidateFacts[]>, k: number | null, c: CandidateFacts) => {
    if (k === null) return;
    const list = m.get(k);
    if (list) list.push(c);
    else m.set(k, [c]);
  };
  for (const c of candidates) {
    byIdNumber.set(c.idNumber.toUpperCase(), c);
    push(byEmployer, c.employerOrgId, c);
    push(byTrainingOrg, c.trainingOrgId, c);
  }
  const index = { byIdNumber, byEmployer, byTrainingOrg };
  cache.set(candidates, index);
  return index;
}
