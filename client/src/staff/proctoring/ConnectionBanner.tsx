import type { OutageInfo } from '../../../../server/src/protocol';
import { useT } from '../../i18n';
import { formatClock } from '../../time-format';
import type { LiveLink } from '../use-session-watch';
import './proctoring.css';

const seconds = (ms: number) => Math.round(ms / 1000);

/**
 * The outage this screen just lived through, as the server recorded it on restart: its event is stamped
 * with the restart time, so it is the newest one after the link dropped (a network cut has none).
 */
export function outageSince(outages: OutageInfo[] | undefined, lostAt: number): OutageInfo | null {
  const after = (outages ?? []).filter((o) => o.at >= lostAt - 1000);
  return after.length > 0 ? after[after.length - 1]! : null;
}

/** Seats' presence is only known while the link is up; otherwise the screen must not claim "online". */
export const presenceKnown = (link: LiveLink) => link.phase === 'connected' || link.phase === 'back';

/** The link's true state on every live staff screen (issue 16): never a fixed "live" label. */
export function ConnectionBanner({
  link,
  onDismiss,
  outages,
}: {
  link: LiveLink;
  onDismiss: () => void;
  /** The session's outages (seat grid), to say how much time candidates got back. */
  outages?: OutageInfo[];
}) {
  const { t } = useT();
  if (link.phase === 'connecting')
    return (
      <p className="live-link connecting" data-testid="live-state" data-phase={link.phase} role="status">
        {t('live.connecting')}
      </p>
    );
  if (link.phase === 'connected')
    return (
      <p className="live-link connected" data-testid="live-state" data-phase={link.phase}>
        {t('live.connected')}
      </p>
    );
  if (link.phase === 'lost')
    return (
      <p className="live-link lost" data-testid="live-state" data-phase={link.phase} role="alert">
        <strong>⚠ {t('live.lost', { time: formatClock(link.lostAt) })}</strong>
      </p>
    );
  const outage = outageSince(outages, link.lostAt);
  return (
    <p className="live-link back" data-testid="live-state" data-phase={link.phase} role="status">
      <strong>
        ✓ {t('live.back', { s: seconds(link.lostMs), from: formatClock(link.lostAt), to: formatClock(link.backAt) })}
      </strong>{' '}
      {outage && outage.compensatedMs > 0 && t('live.givenBack', { s: seconds(outage.compensatedMs) })}{' '}
      <button type="button" onClick={onDismiss}>
        {t('live.dismiss')}
      </button>
    </p>
  );
}
