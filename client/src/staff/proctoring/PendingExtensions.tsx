import { useState } from 'react';
import type { PendingExtension } from '../../../../server/src/protocol';
import { api } from '../../api';
import { useApi } from '../use-api';

type Props = {
  token: string;
  sessionId: number;
  registrationId: number;
  en: boolean;
  /** Bumped by the seat panel after an extension request, to reload the list. */
  version: number;
  onExpired: () => void;
  onChanged: () => void;
};

/**
 * Extensions past the session's per-candidate cap wait for a second assigned person (issue 13): listed here
 * for this candidate with a confirm button; the server refuses the requester's own confirmation.
 */
export function PendingExtensions({ token, sessionId, registrationId, en, version, onExpired, onChanged }: Props) {
  const L = (zh: string, e: string) => (en ? e : zh);
  const { data, reload } = useApi<{ extensions: PendingExtension[] }>(
    `/sessions/${sessionId}/extensions?v=${version}`,
    token,
    onExpired,
  );
  const [error, setError] = useState<string | null>(null);
  const pending = (data?.extensions ?? []).filter((x) => x.registrationId === registrationId && !x.confirmedBy);
  if (pending.length === 0 && !error) return null;
  const confirm = async (id: number) => {
    setError(null);
    try {
      await api(`/extensions/${id}/confirm`, { token, body: {} });
      reload();
      onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <div data-testid="pending-extensions">
      <h4>
        {L('待确认的延时（超过上限，须另一名考务人员确认）', 'Extensions over the cap, awaiting a second person')}
      </h4>
      {error && <p className="error">{error}</p>}
      <ul>
        {pending.map((x) => (
          <li key={x.id}>
            {x.minutes} {L('分钟', 'min')} · {x.reason} · {x.requestedBy}{' '}
            <button className="secondary small" onClick={() => void confirm(x.id)}>
              {L('确认延时', 'Confirm')}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
