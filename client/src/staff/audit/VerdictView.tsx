import type { ArchiveVerdict, ChainVerificationView } from '../../../../server/src/protocol';

export function ArchiveVerdictView({ v, en }: { v: ArchiveVerdict; en: boolean }) {
  return (
    <div data-testid="archive-verdict">
      <p className={v.ok ? 'verdict-ok' : 'verdict-bad'}>
        {v.ok
          ? en
            ? 'VALID — every check passed'
            : '完整可信：全部校验通过'
          : en
            ? `INVALID — ${v.failures.length} check(s) failed`
            : `校验失败：${v.failures.length} 项`}
      </p>
      <ul className="checks">
        {v.checks.map((c, i) => (
          <li key={i} className={c.ok ? 'ok' : 'bad'}>
            {c.ok ? '✓' : '✗'} {c.name} {c.detail && `— ${c.detail}`}
          </li>
        ))}
        {v.gaps.map((g) => (
          <li key={g}>! {g}</li>
        ))}
      </ul>
    </div>
  );
}

export function ChainVerdictView({ v, en }: { v: ChainVerificationView; en: boolean }) {
  return (
    <div data-testid="chain-verdict">
      <p className={v.ok ? 'verdict-ok' : 'verdict-bad'}>
        {v.ok ? (en ? 'Chain intact' : '日志链完整') : en ? 'Chain BROKEN' : '日志链被破坏'} · {v.events}{' '}
        {en ? 'events' : '条事件'} · {v.signedHeads.length} {en ? 'signed heads' : '个签名链头'}
      </p>
      <p className="mono">
        head #{v.head.seq} {v.head.hash} · key {v.keyFingerprint}
      </p>
      {v.problems.length > 0 && (
        <ul className="checks">
          {v.problems.map((p) => (
            <li key={p} className="bad">
              ✗ {p}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
