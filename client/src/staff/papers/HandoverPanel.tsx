import { useEffect, useState } from 'react';
import type { CodeHandoverStatus } from '../../../../server/src/protocol';
import { api } from '../../api';
import { useT } from '../../i18n';
import { formatTime } from '../SessionListPage';
import { papersText } from './papers-text';

/** After sealing: who has collected their code, live, without ever showing a code here. */
export function HandoverPanel({ token, sessionId, onDone }: { token: string; sessionId: number; onDone: () => void }) {
  const t = papersText(useT().lang);
  const [handover, setHandover] = useState<CodeHandoverStatus>(null);
  useEffect(() => {
    const load = () =>
      api<{ handover: CodeHandoverStatus }>(`/sessions/${sessionId}/seal/handover`, { token })
        .then((r) => setHandover(r.handover))
        .catch(() => undefined);
    void load();
    const timer = setInterval(() => void load(), 3000);
    return () => clearInterval(timer);
  }, [token, sessionId]);
  return (
    <section className="panel papers-page" data-testid="handover">
      <h1>{t.handoverTitle}</h1>
      <p className="slips-warning">{t.handoverHint}</p>
      {handover && (
        <>
          <ul>
            {handover.custodians.map((c) => (
              <li key={c.slot} data-testid={`handover-${c.slot}`}>
                {c.slot === 'A' ? t.custodianA : t.custodianB}: {c.name}（{c.username}） —{' '}
                <strong>{c.collected ? t.collected : t.notCollected}</strong>
              </li>
            ))}
          </ul>
          <p className="meta">
            {t.handoverUntil}: {formatTime(handover.expiresAt)}
          </p>
        </>
      )}
      {!handover && <p>{t.recorded}</p>}
      <button className="primary" onClick={onDone}>
        {t.done}
      </button>
    </section>
  );
}
