import type { BankProblem } from '../../../../server/src/protocol';
import type { BankText } from './bank-text';

/** The error table: every problem with where, field and message, errors first. */
export function ProblemTable({ problems, t }: { problems: BankProblem[]; t: BankText }) {
  if (!problems.length) return <p className="meta">{t.noProblems}</p>;
  const order = { error: 0, unsupported: 1, warning: 2 };
  const sorted = [...problems].sort((a, b) => order[a.kind] - order[b.kind]);
  return (
    <table className="problem-table">
      <thead>
        <tr>
          <th></th>
          <th>{t.where}</th>
          <th>{t.field}</th>
          <th>{t.message}</th>
        </tr>
      </thead>
      <tbody>
        {sorted.slice(0, 500).map((p, i) => (
          <tr key={i} className={`problem-${p.kind}`}>
            <td>
              <span className={`badge badge-${p.kind}`}>{t.kind[p.kind] ?? p.kind}</span>
            </td>
            <td>{p.where}</td>
            <td>{p.field ?? ''}</td>
            <td>{p.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
