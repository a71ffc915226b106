import { useState } from 'react';
import type { ExtendResponse, IdentityView, SeatRow } from '../../../../server/src/protocol';
import { api } from '../../api';
import { useApi } from '../use-api';
import { PendingExtensions } from './PendingExtensions';
import { useEvidenceImage } from './use-evidence';
import { LateAnswers } from './LateAnswers';
import { formatClock } from '../../time-format';

const ID_STATE: Record<string, [string, string]> = {
  unchecked: ['未核验', 'not checked'],
  passed: ['核验通过', 'verified'],
  failed: ['核验不通过', 'failed'],
  locked: ['已锁定（需人工确认）', 'locked (needs override)'],
};

type Props = {
  token: string;
  sessionId: number;
  seat: SeatRow;
  readOnly: boolean;
  en: boolean;
  onExpired: () => void;
  onChanged: () => void;
};

/** One candidate: 人证核验 (registered photo beside the login snapshot), message, and the delivery controls. */
export function SeatPanel({ token, sessionId, seat, readOnly, en, onExpired, onChanged }: Props) {
  const L = (zh: string, e: string) => (en ? e : zh);
  const { data: id, reload } = useApi<IdentityView>(
    `/proctoring/registrations/${seat.registrationId}/identity`,
    token,
    onExpired,
  );
  const lastSnap = id?.snapshots.at(-1) ?? null;
  const snapUrl = useEvidenceImage(lastSnap && lastSnap.camera === 'available' ? lastSnap.id : null, token);
  const [note, setNote] = useState('');
  // Without a registered photo a pass records what was checked instead (issue 13): the ID card's number,
  // matched by the server against the registration, and that the card's photo was compared with the person.
  const [idCardNumber, setIdCardNumber] = useState('');
  const [idPhotoCompared, setIdPhotoCompared] = useState(false);
  const noPhoto = id !== null && id !== undefined && !id.registeredPhoto;
  const idCard = noPhoto ? { idCard: { number: idCardNumber.trim(), photoCompared: idPhotoCompared } } : {};
  const idCardReady = !noPhoto || (idCardNumber.trim().length > 0 && idPhotoCompared);
  const [msg, setMsg] = useState('');
  const [minutes, setMinutes] = useState(10);
  const [toSeat, setToSeat] = useState('');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [extensionsVersion, setExtensionsVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);

  const act = async (label: string, path: string, body: unknown) => {
    setError(null);
    setDone(null);
    try {
      await api(path, { token, body });
      setDone(label);
      reload();
      onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const rid = seat.registrationId;
  // Past the session's cap an extension waits for a second assigned person (202); say so plainly.
  const extend = async () => {
    setError(null);
    setDone(null);
    try {
      const r = await api<ExtendResponse>(`/registrations/${rid}/extend`, { token, body: { minutes, reason } });
      setDone(
        r.applied
          ? L('已延时', 'extended')
          : L('超过延时上限：已提交，待另一名考务人员确认', 'over the cap: waiting for a second person to confirm'),
      );
      setExtensionsVersion((v) => v + 1);
      onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const needReason = (f: () => void) => () => (reason.trim() ? f() : setError(L('请填写原因', 'a reason is required')));

  return (
    <section className="panel" data-testid="seat-panel">
      <h3>
        {L('座位', 'Seat')} {seat.seatNo} · {seat.name} <small className="meta">{seat.admissionNo}</small>
      </h3>
      <p>
        {L('人证核验', 'Identity check')}:{' '}
        <span
          className={`badge ${id?.state === 'passed' ? 'ok' : id?.state === 'unchecked' ? '' : 'bad'}`}
          data-testid="identity-state"
        >
          {id ? (ID_STATE[id.state]?.[en ? 1 : 0] ?? id.state) : '…'}
        </span>
        {id && <span className="meta">{id.idNumberMasked}</span>}
      </p>
      <div className="photo-pair">
        <figure>
          {id?.registeredPhoto ? (
            <img src={id.registeredPhoto} alt="registered" />
          ) : (
            <span className="meta">{L('无登记照片', 'no registered photo')}</span>
          )}
          <figcaption>{L('报名照片 / 身份证', 'Registered photo')}</figcaption>
        </figure>
        <figure>
          {snapUrl ? (
            <img src={snapUrl} alt="snapshot" data-testid="snapshot-image" />
          ) : (
            <span className="meta">
              {lastSnap
                ? L('考位无摄像头（已记录）', 'no camera at this seat (recorded)')
                : L('尚未拍照', 'no snapshot yet')}
            </span>
          )}
          <figcaption>
            {L('登录时抓拍', 'Snapshot at login')}
            {lastSnap?.sha256 && <span className="mono"> SHA-256 {lastSnap.sha256.slice(0, 16)}…</span>}
          </figcaption>
        </figure>
      </div>
      {!readOnly && (
        <>
          <div className="form-row">
            <input
              placeholder={L('核验说明（人工确认必填）', 'note (required for override)')}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          </div>
          {noPhoto && (
            <div className="form-row" data-testid="id-card-check">
              <input
                data-testid="id-card-number"
                placeholder={L('无登记照片：输入身份证上的号码', 'no registered photo: the ID card number read')}
                value={idCardNumber}
                maxLength={18}
                onChange={(e) => setIdCardNumber(e.target.value)}
              />
              <label>
                <input
                  type="checkbox"
                  data-testid="id-photo-compared"
                  checked={idPhotoCompared}
                  onChange={(e) => setIdPhotoCompared(e.target.checked)}
                />{' '}
                {L('已核对身份证照片与本人', 'ID card photo compared with the person')}
              </label>
            </div>
          )}
          <div className="actions">
            <button
              className="pass"
              data-testid="identity-pass"
              disabled={!idCardReady}
              onClick={() =>
                void act(L('已记录：核验通过', 'recorded: verified'), `/proctoring/registrations/${rid}/identity`, {
                  outcome: 'pass',
                  note,
                  ...idCard,
                })
              }
            >
              {L('核验通过', 'Verified')}
            </button>
            <button
              className="fail"
              data-testid="identity-fail"
              onClick={() =>
                void act(L('已记录：核验不通过', 'recorded: failed'), `/proctoring/registrations/${rid}/identity`, {
                  outcome: 'fail',
                  note,
                })
              }
            >
              {L('核验不通过', 'Failed')}
            </button>
            {id?.state === 'locked' && (
              <button
                disabled={!idCardReady}
                onClick={() =>
                  void act(L('已人工确认', 'override recorded'), `/proctoring/registrations/${rid}/identity`, {
                    outcome: 'override',
                    note,
                    ...idCard,
                  })
                }
              >
                {L('人工确认（仅本场主考）', 'Override (chief examiner only)')}
              </button>
            )}
          </div>
          <h4>{L('提醒 / 警告', 'Message / warning')}</h4>
          <div className="form-row">
            <input
              style={{ flex: 1 }}
              value={msg}
              onChange={(e) => setMsg(e.target.value)}
              placeholder={L('发给该考生的消息', 'message to this candidate')}
            />
            <button
              onClick={() =>
                void act(
                  L('已发送提醒', 'notice sent'),
                  `/proctoring/sessions/${sessionId}/registrations/${rid}/messages`,
                  { kind: 'notice', text: msg },
                )
              }
            >
              {L('提醒', 'Notice')}
            </button>
            <button
              onClick={() =>
                void act(
                  L('已发送警告', 'warning sent'),
                  `/proctoring/sessions/${sessionId}/registrations/${rid}/messages`,
                  { kind: 'warning', text: msg },
                )
              }
            >
              {L('警告', 'Warn')}
            </button>
          </div>
          <h4>{L('考务操作（须填写原因）', 'Controls (reason required)')}</h4>
          <div className="form-row">
            <input
              style={{ flex: 1 }}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder={L('原因，如：机器故障', 'reason, e.g. PC failure')}
            />
          </div>
          <div className="form-row">
            <input
              type="number"
              min={1}
              max={120}
              value={minutes}
              onChange={(e) => setMinutes(Number(e.target.value))}
              style={{ width: 70 }}
            />
            <button onClick={needReason(() => void extend())}>{L('延时（分钟）', 'Extend (min)')}</button>
            <input
              value={toSeat}
              onChange={(e) => setToSeat(e.target.value)}
              placeholder={L('新座位号', 'new seat')}
              style={{ width: 80 }}
            />
            <button
              onClick={needReason(
                () =>
                  void act(L('已换座', 'seat moved'), `/registrations/${rid}/seat-move`, {
                    toSeat: Number(toSeat),
                    reason,
                  }),
              )}
            >
              {L('换座', 'Move seat')}
            </button>
            <button
              onClick={needReason(
                () => void act(L('已收卷', 'collected'), `/registrations/${rid}/collect`, { reason }),
              )}
            >
              {L('强制收卷', 'Collect paper')}
            </button>
            <button
              onClick={needReason(
                () => void act(L('已暂停该考生', 'paused'), `/registrations/${rid}/pause`, { reason }),
              )}
            >
              {L('暂停该考生', 'Pause')}
            </button>
            <button
              onClick={needReason(
                () => void act(L('已恢复该考生', 'resumed'), `/registrations/${rid}/resume`, { reason }),
              )}
            >
              {L('恢复', 'Resume')}
            </button>
          </div>
          <PendingExtensions
            token={token}
            sessionId={sessionId}
            registrationId={rid}
            en={en}
            version={extensionsVersion}
            onExpired={onExpired}
            onChanged={onChanged}
          />
        </>
      )}
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <LateAnswers token={token} sessionId={sessionId} registrationId={rid} en={en} onExpired={onExpired} />
      {id && id.checks.length > 0 && (
        <ul className="meta">
          {id.checks.map((c) => (
            <li key={c.id}>
              {formatClock(c.at)} {c.outcome}
              {c.basis === 'id-card' ? L('（身份证核对）', ' (ID card checked)') : ''} {c.note} ({c.checkedBy})
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
