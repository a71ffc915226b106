import type { IncidentInfo, OutageInfo } from '../../../../server/src/protocol';
import { useT } from '../../i18n';
import { formatClock } from '../../time-format';

type Entry = { at: number; key: string; outage: OutageInfo | null; incident: IncidentInfo | null };

/**
 * The console's 事件记录: incidents the proctors reported, and the server outages with the time given back
 * to candidates (delivery/outage.ts), in time order — a proctor who was away sees the outage afterwards.
 */
export function ConsoleEventList({
  incidents,
  outages,
  incidentName,
}: {
  incidents: IncidentInfo[];
  outages: OutageInfo[];
  incidentName: (type: string) => string;
}) {
  const { t, lang } = useT();
  const en = lang === 'en';
  const entries: Entry[] = [
    ...incidents.map((i) => ({ at: i.at, key: `i${i.id}`, incident: i, outage: null })),
    ...outages.map((o) => ({ at: o.at, key: `o${o.at}`, incident: null, outage: o })),
  ].sort((a, b) => a.at - b.at);
  return (
    <section className="panel">
      <h3>{en ? 'Event record' : '事件记录'}</h3>
      {entries.length === 0 && <p className="meta">{en ? 'none' : '暂无'}</p>}
      <ul data-testid="incident-list">
        {entries.map(({ key, at, incident: i, outage: o }) =>
          o ? (
            <li key={key} className="outage" data-kind="outage">
              {formatClock(at)} · ⚠{' '}
              {t('live.outageEvent', {
                lost: Math.round(o.outageMs / 1000),
                given: Math.round(o.compensatedMs / 1000),
              })}
            </li>
          ) : (
            <li key={key}>
              {formatClock(at)} · {incidentName(i!.type)} · {en ? 'seat' : '座位'} {i!.seatNo ?? '—'} · {i!.note}
              {i!.photoId && ' 📷'}
            </li>
          ),
        )}
      </ul>
    </section>
  );
}
