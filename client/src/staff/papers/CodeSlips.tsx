import { useState } from 'react';
import type { SealResult } from '../../../../server/src/protocol';
import { useT } from '../../i18n';
import { formatTime } from '../SessionListPage';
import { papersText } from './papers-text';

/**
 * The two custodians' code slips, shown once after sealing. Each code stays masked until its custodian
 * reveals it, and each slip prints on its own page, so neither custodian needs to see the other's code
 * (two-person rule: 保密管理).
 */
export function CodeSlips({ result, onDone }: { result: SealResult; onDone: () => void }) {
  const { lang } = useT();
  const t = papersText(lang);
  const [revealed, setRevealed] = useState<Record<string, boolean>>({});
  const [printing, setPrinting] = useState<string | null>(null);

  const print = (slot: string | null) => {
    setPrinting(slot);
    // Print after React has applied the "print only this slip" class.
    setTimeout(() => {
      window.print();
      setPrinting(null);
    }, 50);
  };

  return (
    <section className="panel papers-page">
      <div className="no-print">
        <h1>{t.slipsTitle}</h1>
        <p className="slips-warning">{t.slipsWarning}</p>
        <p className="meta">
          {t.manifest}:{' '}
          <span className="fingerprint" data-testid="manifest-fingerprint">
            {result.manifestFingerprint}
          </span>
        </p>
        <p className="meta">
          {t.papers}: {result.paperCount} · {t.neighbours}:{' '}
          {result.neighbours.adjacentPairs === 0
            ? t.noNeighbours
            : `${t.before} ${(result.neighbours.rateBefore * 100).toFixed(2)} % → ${t.after} ${(result.neighbours.rateAfter * 100).toFixed(2)} %`}
        </p>
      </div>
      <div className="code-slips">
        {result.codes.map((c) => (
          <article
            key={c.slot}
            className={`code-slip${printing && printing !== c.slot ? ' no-print' : ''}`}
            data-testid={`code-slip-${c.slot}`}
          >
            <h2>
              {t.slipTitle} · {c.slot === 'A' ? t.custodianA : t.custodianB}
            </h2>
            <dl>
              <dt>{t.session}</dt>
              <dd>
                {result.sessionCode} {result.sessionName}
              </dd>
              <dt>{t.start}</dt>
              <dd>{formatTime(result.scheduledStart)}</dd>
              <dt>{t.custodian}</dt>
              <dd>
                {c.name}（{c.username}）
              </dd>
              <dt>{t.manifest}</dt>
              <dd className="fingerprint small">{result.manifestFingerprint}</dd>
              <dt>{t.code}</dt>
              <dd className="code-value">
                <span
                  className={revealed[c.slot] ? 'screen-code' : 'screen-code masked'}
                  data-testid={`code-${c.slot}`}
                >
                  {revealed[c.slot] ? c.code : '••••-••••-••••-••••'}
                </span>
                <span className="print-code">{c.code}</span>
              </dd>
            </dl>
            <p className="slip-note">{t.slipNote}</p>
            <div className="no-print slip-actions">
              <button
                onClick={() => setRevealed({ ...revealed, [c.slot]: !revealed[c.slot] })}
                data-testid={`reveal-${c.slot}`}
              >
                {revealed[c.slot] ? t.hide : t.reveal}
              </button>
              <button onClick={() => print(c.slot)}>{t.printSlip}</button>
            </div>
          </article>
        ))}
      </div>
      <div className="no-print slip-actions">
        <button onClick={() => print(null)}>{t.printAll}</button>
        <button className="primary" onClick={onDone}>
          {t.recorded}
        </button>
      </div>
    </section>
  );
}
