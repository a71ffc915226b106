import { useState } from 'react';
import type { DeclarationRemovalView, StaffView } from '../../../../server/src/protocol';
import { useT } from '../../i18n';
import { formatDateTime } from '../../time-format';
import { useApi } from '../use-api';
import { api, errorText } from './people-api';
import type { PeopleCtx } from './PeopleRoutes';

const TEXT = {
  zh: {
    intro:
      '从声明中删除的亲属、利害关系或培训任职，在管理员核实并审核前仍按原声明回避（审核记入机构事件链，监管人员可见）。',
    none: '没有撤回的声明内容',
    person: '人员',
    item: '撤回的内容',
    versions: '声明版本',
    removedAt: '撤回时间',
    status: '状态',
    pending: '待审核（仍然有效）',
    reviewed: '已审核',
    reason: '核实依据（至少 10 字）',
    review: '审核撤回',
  },
  en: {
    intro:
      'A relative, interest or training engagement removed from a declaration still counts for recusal until an admin checks and reviews the removal (the review is on the institution chain, read by officials).',
    none: 'No retracted declaration items',
    person: 'Person',
    item: 'Removed item',
    versions: 'Versions',
    removedAt: 'Removed at',
    status: 'Status',
    pending: 'pending (still counts)',
    reviewed: 'reviewed',
    reason: 'What was checked (10+ characters)',
    review: 'Review removal',
  },
};

/** Retracted declaration items (issue 13 hole 9): admins review them; chief examiners and officials read them. */
export function DeclarationRemovalsPage({ ctx, admin }: { ctx: PeopleCtx; admin: boolean }) {
  const { lang } = useT();
  const t = TEXT[lang === 'en' ? 'en' : 'zh'];
  const removals = useApi<{ removals: DeclarationRemovalView[] }>(
    '/people/declaration-removals',
    ctx.token,
    ctx.onExpired,
  );
  const staff = useApi<{ staff: StaffView[] }>('/people/staff', ctx.token, ctx.onExpired);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  if (removals.error) return <p className="error">{removals.error}</p>;
  if (!removals.data) return <p>…</p>;
  const nameOf = (id: number) => staff.data?.staff.find((s) => s.id === id)?.name ?? `#${id}`;
  const keyOf = (r: DeclarationRemovalView) => `${r.staffId}:${r.part}:${r.itemId}`;
  const review = async (r: DeclarationRemovalView) => {
    setError(null);
    try {
      await api(`/people/staff/${r.staffId}/declaration-removals/review`, {
        token: ctx.token,
        body: { part: r.part, itemId: r.itemId, reason: (reasons[keyOf(r)] ?? '').trim() },
      });
      removals.reload();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <>
      <p className="meta">{t.intro}</p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {removals.data.removals.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <table data-testid="declaration-removals">
          <thead>
            <tr>
              <th>{t.person}</th>
              <th>{t.item}</th>
              <th>{t.versions}</th>
              <th>{t.removedAt}</th>
              <th>{t.status}</th>
            </tr>
          </thead>
          <tbody>
            {removals.data.removals.map((r) => (
              <tr key={keyOf(r)}>
                <td>{nameOf(r.staffId)}</td>
                <td>{r.summary}</td>
                <td>
                  v{r.declaredInVersion} → v{r.removedInVersion}
                </td>
                <td>{formatDateTime(r.removedAt)}</td>
                <td>
                  {r.review ? (
                    <span>
                      {t.reviewed}: {r.review.reason} ({r.review.reviewedBy}, {formatDateTime(r.review.reviewedAt)})
                    </span>
                  ) : (
                    <>
                      <span className="badge bad">{t.pending}</span>
                      {admin && (
                        <span>
                          {' '}
                          <input
                            aria-label={t.reason}
                            placeholder={t.reason}
                            value={reasons[keyOf(r)] ?? ''}
                            onChange={(e) => setReasons({ ...reasons, [keyOf(r)]: e.target.value })}
                          />{' '}
                          <button onClick={() => void review(r)}>{t.review}</button>
                        </span>
                      )}
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
