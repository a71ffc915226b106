import type { ArchiveVerdict, ChainVerificationView } from '../../../../server/src/protocol';
import { checkLabel, gapLabel } from '../catalogue';

/** Each check in words; the verifier's own (English, technical) detail is one click away for the expert. */
export function ArchiveVerdictView({ v, en }: { v: ArchiveVerdict; en: boolean }) {
  return (
    <div data-testid="archive-verdict">
      <p className={v.ok ? 'verdict-ok' : 'verdict-bad'} data-status={v.status}>
        {v.ok
          ? en
            ? 'VALID — every check passed'
            : '完整可信：全部校验通过'
          : v.status === 'INCOMPLETE'
            ? en
              ? `INCOMPLETE — nothing failed, but ${v.gaps.length} check(s) could not be made`
              : `未能完整校验：没有失败项，但有 ${v.gaps.length} 项无法检查`
            : en
              ? `INVALID — ${v.failures.length} check(s) failed`
              : `校验失败：${v.failures.length} 项未通过`}
      </p>
      <ul className="checks">
        {v.checks.map((c, i) => (
          <li key={i} className={c.ok ? 'ok' : 'bad'}>
            {c.ok ? '✓' : '✗'} {checkLabel(c.name, en)}
            {c.ok ? '' : en ? ' — FAILED' : ' —— 未通过'}
          </li>
        ))}
      </ul>
      {v.gaps.length > 0 && (
        <>
          <p>{en ? 'Could not be checked here:' : '以下内容在此无法检查：'}</p>
          <ul className="checks" data-testid="archive-gaps">
            {v.gaps.map((g, i) => (
              <li key={i} className="gap">
                ! {gapLabel(g.code, en)}
              </li>
            ))}
          </ul>
          <details className="event-raw">
            <summary>{en ? 'the verifier’s own words (technical)' : '校验程序的原文（技术说明）'}</summary>
            <pre>{v.gaps.map((g) => g.text).join('\n')}</pre>
          </details>
        </>
      )}
      <details className="event-raw">
        <summary>{en ? 'technical detail of every check' : '每项校验的技术细节'}</summary>
        <pre>{v.checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.name}${c.detail ? `: ${c.detail}` : ''}`).join('\n')}</pre>
      </details>
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
      <p className="meta">
        {en ? 'Last event' : '最后一条事件'} #{v.head.seq} · {en ? 'institution key' : '机构公钥指纹'}{' '}
        <code>{v.keyFingerprint}</code>
      </p>
      <details className="event-raw">
        <summary>{en ? 'head hash' : '链头哈希'}</summary>
        <pre>{v.head.hash}</pre>
      </details>
      {v.problems.length > 0 && (
        <details className="event-raw" open>
          <summary className="verdict-bad">
            {en ? `${v.problems.length} problem(s)` : `发现 ${v.problems.length} 处问题（技术细节）`}
          </summary>
          <pre>{v.problems.join('\n')}</pre>
        </details>
      )}
    </div>
  );
}
