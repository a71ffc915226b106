import type { AdmissionTicket } from '../../../../server/src/protocol';
import { useT } from '../../i18n';
import { useApi } from '../use-api';
import './print.css';
import { formatDateTime } from '../../time-format';

// The centre's zone (a setting), not a fixed Beijing offset: client/src/time-format.ts.
const beijing = formatDateTime;

/** Printable admission tickets (准考证), two per A4 page, or the seat plan (座位表) of the room. */
export function TicketsPage({
  token,
  sessionId,
  kind,
  onExpired,
}: {
  token: string;
  sessionId: number;
  kind: 'tickets' | 'seat-plan';
  onExpired: () => void;
}) {
  const en = useT().lang === 'en';
  const { data, error } = useApi<{ tickets: AdmissionTicket[] }>(`/sessions/${sessionId}/tickets`, token, onExpired);
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p>…</p>;
  const first = data.tickets[0];
  return (
    <section className="print-area">
      <p className="no-print">
        <button className="primary" onClick={() => window.print()}>
          {en ? 'Print' : '打印'}
        </button>
      </p>
      {data.tickets.length === 0 && <p>{en ? 'No candidates registered.' : '本场次尚无考生。'}</p>}
      {kind === 'tickets' &&
        data.tickets.map((t) => (
          <article className="ticket" key={t.registrationId}>
            <h2>特种设备作业人员考试 准考证</h2>
            <div className="ticket-body">
              <div className="ticket-photo">{t.photo ? <img src={t.photo} alt="" /> : '照片'}</div>
              <dl>
                <dt>姓名</dt>
                <dd>{t.name}</dd>
                <dt>身份证号</dt>
                <dd>{t.idNumberMasked}</dd>
                <dt>准考证号</dt>
                <dd className="big">{t.admissionNo}</dd>
                <dt>作业项目</dt>
                <dd>{t.category}</dd>
                <dt>考试时间</dt>
                <dd>
                  {beijing(t.scheduledStart)}（{t.durationMinutes} 分钟）
                </dd>
                <dt>考场 / 座位</dt>
                <dd className="big">
                  {t.roomName} · {t.seatNo} 号
                </dd>
                {t.employer && (
                  <>
                    <dt>工作单位</dt>
                    <dd>{t.employer}</dd>
                  </>
                )}
              </dl>
            </div>
            <ol className="ticket-rules">
              <li>凭本准考证和第二代居民身份证入场，开考前 15–30 分钟到达，进行人证核验。</li>
              <li>开考 {t.lateAdmissionMinutes} 分钟后不得入场；开考后规定时间内不得交卷离场。</li>
              <li>手机等通讯设备一律关机交监考人员保管，发现携带者按违纪处理（成绩记为 0 分）。</li>
              <li>按指定座位号入座，只能在本人座位的考试机上登录答题。</li>
            </ol>
            <p className="ticket-code">{t.sessionCode}</p>
          </article>
        ))}
      {kind === 'seat-plan' && first && (
        <article className="seat-plan">
          <h2>
            座位表 · {first.sessionName}（{first.sessionCode}）
          </h2>
          <p>
            {first.roomName} · {beijing(first.scheduledStart)} · {first.category}
          </p>
          <table>
            <thead>
              <tr>
                <th>座位</th>
                <th>准考证号</th>
                <th>姓名</th>
                <th>身份证号</th>
                <th>签到</th>
              </tr>
            </thead>
            <tbody>
              {data.tickets.map((t) => (
                <tr key={t.registrationId}>
                  <td>{t.seatNo}</td>
                  <td>{t.admissionNo}</td>
                  <td>{t.name}</td>
                  <td>{t.idNumberMasked}</td>
                  <td className="sign" />
                </tr>
              ))}
            </tbody>
          </table>
          <p className="signatures">主考：__________ 监考：__________ 监考：__________</p>
        </article>
      )}
    </section>
  );
}
