import { CANDIDATE_STATUS_NAMES, label } from '../catalogue';
import './seat-legend.css';

/** A mark per status, shown on the tile and in the legend, so the grid never relies on colour alone. */
export const STATUS_MARKS: Record<string, string> = {
  'not-logged-in': '○',
  'not-started': '◐',
  answering: '✎',
  submitted: '✓',
};

/**
 * The seat grid's key (issue 16: the chips were all grey): each entry is a small copy of a tile in the tile's
 * own border and background colours, with the same mark and words the tile shows.
 */
export function SeatLegend({ en }: { en: boolean }) {
  const L = (zh: string, e: string) => (en ? e : zh);
  return (
    <div className="legend seat-legend" data-testid="seat-legend">
      {Object.keys(STATUS_MARKS).map((k) => (
        <span key={k} className={`legend-tile seat st-${k}`}>
          <span aria-hidden="true">{STATUS_MARKS[k]}</span> {label(CANDIDATE_STATUS_NAMES, k, en)}
        </span>
      ))}
      <span className="legend-tile seat offline">
        <span className="badge bad">{L('离线', 'offline')}</span> {L('答题中断线', 'lost connection')}
      </span>
      <span className="legend-tile seat flagged">⚑ {L('有违纪或事件记录', 'incident recorded')}</span>
      <span className="legend-tile seat empty">{L('空座', 'empty seat')}</span>
    </div>
  );
}
