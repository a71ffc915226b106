import { AppError } from '../shared/errors';
import type { BankRepo } from './bank.repo';

/**
 * Issue 13: a retired item is withdrawn from the exam (leaked, wrong, outdated), but the versions before its
 * retirement still hold it, and a session names its version. Without this check a chief examiner could plan a
 * session on the older version — or keep one planned before the withdrawal — and the draw would serve the
 * withdrawn item. Checked when a session is planned and again when its papers are drawn (seal and reseal):
 * such a session must be planned again on the current version.
 */
export function refuseWithdrawnItems(bank: BankRepo, versionId: number): void {
  const withdrawn = bank.retiredSince(versionId);
  if (withdrawn > 0)
    throw new AppError(
      'bank-items-retired',
      `题库版本 #${versionId} 中有 ${withdrawn} 道题已被停用，请改用当前版本 / ${withdrawn} item(s) of bank version #${versionId} have been retired since: use the current version`,
      409,
      { versionId, withdrawn },
    );
}
