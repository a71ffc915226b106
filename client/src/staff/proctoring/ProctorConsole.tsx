import { useState } from 'react';
import type { IncidentInfo, SeatGrid, SeatRow } from '../../../../server/src/protocol';
import { INCIDENT_TYPES } from '../../../../server/src/protocol/proctoring';
import { api } from '../../api';
import { useT } from '../../i18n';
import { useApi } from '../use-api';
import { useSessionWatch } from '../use-session-watch';
import { ConnectionBanner, presenceKnown } from './ConnectionBanner';
import { ConsoleEventList } from './ConsoleEventList';
import { StateBadge } from '../components/StateBadge';
import { RoomVideos } from './RoomVideos';
import { SeatLegend, STATUS_MARKS } from './SeatLegend';
import { SeatPanel } from './SeatPanel';
import { fileToJpegDataUrl } from './use-evidence';
import './proctoring.css';

const STATUS: Record<string, [string, string]> = {
  'not-logged-in': ['未登录', 'not logged in'],
  'not-started': ['已登录未开考', 'logged in'],
  answering: ['答题中', 'answering'],
  submitted: ['已交卷', 'submitted'],
};
const INCIDENT_NAMES: Record<string, [string, string]> = {
  phone: ['携带手机', 'phone found'],
  cheating: ['作弊', 'cheating'],
  impersonation: ['替考嫌疑', 'impersonation'],
  disruption: ['扰乱考场', 'disruption'],
  equipment: ['设备故障', 'equipment failure'],
  health: ['身体不适', 'health'],
  other: ['其他', 'other'],
};

/** Live seat grid over socket.io (session:changed → refetch), with the seat panel and room-wide actions. */
export function ProctorConsole({
  token,
  sessionId,
  readOnly,
  onExpired,
}: {
  token: string;
  sessionId: number;
  readOnly: boolean;
  onExpired: () => void;
}) {
  const { lang, t } = useT();
  const en = lang === 'en';
  const L = (zh: string, e: string) => (en ? e : zh);
  const { data, error, reload } = useApi<SeatGrid>(`/proctoring/sessions/${sessionId}/seats`, token, onExpired);
  const incidents = useApi<{ incidents: IncidentInfo[] }>(
    `/proctoring/sessions/${sessionId}/incidents`,
    token,
    onExpired,
  );
  const [selected, setSelected] = useState<number | null>(null);
  const [broadcast, setBroadcast] = useState('');
  const [sessionReason, setSessionReason] = useState('');
  const [inc, setInc] = useState<{ type: string; seat: string; note: string; photo: string | null }>({
    type: 'phone',
    seat: '',
    note: '',
    photo: null,
  });
  const [flash, setFlash] = useState<{ ok: boolean; text: string } | null>(null);

  const { link, dismiss } = useSessionWatch(
    token,
    sessionId,
    () => {
      reload();
      incidents.reload();
    },
    400,
  );

  if (error) return <p className="error">{error}</p>;
  if (!data) return <p>…</p>;
  // While the server cannot be reached the last presence seen is stale: say "unknown", never "online".
  const known = presenceKnown(link);
  const bySeat = new Map<number, SeatRow>(data.seats.map((s) => [s.seatNo, s]));
  const seatCount = Math.max(data.seatCount, ...data.seats.map((s) => s.seatNo));
  const seat = data.seats.find((s) => s.registrationId === selected) ?? null;
  const run = async (text: string, path: string, body: unknown) => {
    try {
      await api(path, { token, body });
      setFlash({ ok: true, text });
      reload();
      incidents.reload();
    } catch (err) {
      setFlash({ ok: false, text: err instanceof Error ? err.message : String(err) });
    }
  };
  const incidentSeat = inc.seat ? bySeat.get(Number(inc.seat)) : undefined;

  return (
    <section className="proctor">
      <h1>
        {L('监考台', 'Proctor console')} · {data.name} <small>{data.code}</small>
      </h1>
      <p className="meta">
        {data.roomName} · <StateBadge state={data.state} en={en} /> · {L('已交卷', 'submitted')} {data.submitted}/
        {data.registered}
      </p>
      <ConnectionBanner link={link} onDismiss={dismiss} outages={data.outages} />
      {data.identityReport && (
        // How identity checks were made (issue 13): passes without a registered photo rest on the ID card read.
        <p className="meta" data-testid="identity-report">
          {L('人证核验', 'Identity checks')}: {L('照片比对通过', 'passed by photo')} {data.identityReport.passedByPhoto}{' '}
          · {L('无登记照片、核对身份证通过', 'passed by ID card (no photo)')} {data.identityReport.passedByIdCard} ·{' '}
          {L('人工确认', 'overrides')} {data.identityReport.overrides} · {L('不通过', 'failed')}{' '}
          {data.identityReport.failures}
        </p>
      )}
      {readOnly && (
        <p className="readonly-note">
          {L(
            '监管人员只读视图：现场监督抽查，本页浏览已记入日志',
            'Official read-only view (spot check); this visit is logged',
          )}
        </p>
      )}
      <SeatLegend en={en} />
      <div className="proctor-layout">
        <div className={`seat-grid ${known ? '' : 'stale'}`} data-testid="seat-grid">
          {Array.from({ length: seatCount }, (_, i) => i + 1).map((n) => {
            const s = bySeat.get(n);
            if (!s)
              return (
                <div key={n} className="seat empty">
                  <span className="seat-no">{n}</span>
                  <span>{L('空座', 'empty')}</span>
                </div>
              );
            const offline = known && !s.online && s.status !== 'not-logged-in' && s.status !== 'submitted';
            return (
              <button
                key={n}
                data-testid={`seat-${s.seatNo}`}
                className={`seat st-${s.status} ${offline ? 'offline' : ''} ${s.flagged ? 'flagged' : ''} ${selected === s.registrationId ? 'selected' : ''}`}
                onClick={() => setSelected(s.registrationId)}
              >
                <span className="seat-no">
                  {s.seatNo} {s.flagged && '⚑'}
                </span>
                <span>{s.name}</span>
                <span>
                  {STATUS_MARKS[s.status]} {STATUS[s.status]?.[en ? 1 : 0]}
                </span>
                {s.status === 'answering' && (
                  <span>
                    {s.answered}/{s.questionCount}
                  </span>
                )}
                <span>
                  <span className={`badge ${s.identity === 'passed' ? 'ok' : s.identity === 'unchecked' ? '' : 'bad'}`}>
                    {s.identity === 'passed'
                      ? L('已核验', 'ID ✓')
                      : s.identity === 'unchecked'
                        ? L('未核验', 'ID ?')
                        : s.identity === 'locked'
                          ? L('锁定', 'locked')
                          : L('核验失败', 'ID ✗')}
                  </span>
                  {!known && <span className="badge unknown">? {t('live.seatUnknown')}</span>}
                  {known && offline && <span className="badge bad">{L('离线', 'offline')}</span>}
                  {known && s.online && <span className="badge ok">{L('在线', 'online')}</span>}
                  {s.focusLosses > 0 && (
                    <span className="badge warn">
                      {L('切屏', 'focus')} {s.focusLosses}
                    </span>
                  )}
                  {s.incidents > 0 && (
                    <span className="badge bad">
                      {L('事件', 'incidents')} {s.incidents}
                    </span>
                  )}
                </span>
              </button>
            );
          })}
        </div>
        <div className="side">
          {seat && (
            <SeatPanel
              key={seat.registrationId}
              token={token}
              sessionId={sessionId}
              seat={seat}
              readOnly={readOnly}
              en={en}
              onExpired={onExpired}
              onChanged={reload}
            />
          )}
          {flash && (
            <p className={flash.ok ? 'notice' : 'error'} role="status">
              {flash.text}
            </p>
          )}
          {!readOnly && (
            <section className="panel">
              <h3>{L('考场操作', 'Room')}</h3>
              <div className="form-row">
                <input
                  style={{ flex: 1 }}
                  value={broadcast}
                  onChange={(e) => setBroadcast(e.target.value)}
                  placeholder={L('全场广播消息', 'message to every candidate')}
                />
                <button
                  onClick={() =>
                    void run(L('已广播', 'broadcast sent'), `/proctoring/sessions/${sessionId}/messages`, {
                      kind: 'notice',
                      text: broadcast,
                    })
                  }
                >
                  {L('广播', 'Broadcast')}
                </button>
              </div>
              <div className="form-row">
                <input
                  style={{ flex: 1 }}
                  value={sessionReason}
                  onChange={(e) => setSessionReason(e.target.value)}
                  placeholder={L('暂停/恢复原因', 'reason for pause / resume')}
                />
                <button
                  onClick={() =>
                    void run(L('已暂停', 'paused'), `/sessions/${sessionId}/pause`, { reason: sessionReason })
                  }
                >
                  {L('全场暂停', 'Pause all')}
                </button>
                <button
                  onClick={() =>
                    void run(L('已恢复', 'resumed'), `/sessions/${sessionId}/resume`, { reason: sessionReason })
                  }
                >
                  {L('恢复', 'Resume')}
                </button>
              </div>
            </section>
          )}
          {!readOnly && (
            <section className="panel" data-testid="incident-form">
              <h3>{L('考场记录：报告事件', 'Report an incident')}</h3>
              <div className="form-row">
                <select
                  value={inc.type}
                  onChange={(e) => setInc({ ...inc, type: e.target.value })}
                  name="incident-type"
                >
                  {INCIDENT_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {INCIDENT_NAMES[t]?.[en ? 1 : 0] ?? t}
                    </option>
                  ))}
                </select>
                <input
                  name="incident-seat"
                  value={inc.seat}
                  onChange={(e) => setInc({ ...inc, seat: e.target.value })}
                  placeholder={L('座位号', 'seat')}
                  style={{ width: 80 }}
                />
                {incidentSeat && <span className="meta">{incidentSeat.name}</span>}
              </div>
              <div className="form-row">
                <textarea
                  name="incident-note"
                  value={inc.note}
                  onChange={(e) => setInc({ ...inc, note: e.target.value })}
                  placeholder={L('经过说明', 'what happened')}
                />
              </div>
              <div className="form-row">
                <input
                  type="file"
                  accept="image/*"
                  onChange={(e) => {
                    const f = e.target.files?.[0];
                    if (f)
                      void fileToJpegDataUrl(f).then(
                        (photo) => setInc((x) => ({ ...x, photo })),
                        (err: Error) => setFlash({ ok: false, text: err.message }),
                      );
                  }}
                />
                <button
                  className="primary"
                  data-testid="incident-submit"
                  onClick={() =>
                    void run(L('事件已记录', 'incident recorded'), `/proctoring/sessions/${sessionId}/incidents`, {
                      type: inc.type,
                      note: inc.note,
                      ...(incidentSeat
                        ? { registrationId: incidentSeat.registrationId }
                        : inc.seat
                          ? { seatNo: Number(inc.seat) }
                          : {}),
                      ...(inc.photo ? { photo: inc.photo } : {}),
                    }).then(() => setInc({ type: 'phone', seat: '', note: '', photo: null }))
                  }
                >
                  {L('提交记录', 'Record')}
                </button>
              </div>
            </section>
          )}
          <RoomVideos token={token} sessionId={sessionId} readOnly={readOnly} en={en} onExpired={onExpired} />
          <ConsoleEventList
            incidents={incidents.data?.incidents ?? []}
            outages={data.outages ?? []}
            incidentName={(type) => INCIDENT_NAMES[type]?.[en ? 1 : 0] ?? type}
          />
        </div>
      </div>
    </section>
  );
}
