import { useState } from 'react';
import type { RoomVideoInfo } from '../../../../server/src/protocol';
import { api } from '../../api';
import { useApi } from '../use-api';
import { formatClock, formatDateTime, parseCentreDateTime } from '../../time-format';

/**
 * 考场录像: staff attach the room's CCTV recordings (a file path on the exam server, e.g. the NVR export
 * folder); the server hashes the file and the archive records hash, size and time range (or the file).
 */
export function RoomVideos({
  token,
  sessionId,
  readOnly,
  en,
  onExpired,
}: {
  token: string;
  sessionId: number;
  readOnly: boolean;
  en: boolean;
  onExpired: () => void;
}) {
  const L = (zh: string, e: string) => (en ? e : zh);
  const { data, reload } = useApi<{ videos: RoomVideoInfo[] }>(`/sessions/${sessionId}/videos`, token, onExpired);
  const [form, setForm] = useState({ path: '', from: '', to: '', includeFile: false });
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const attach = () =>
    void api<RoomVideoInfo>(`/sessions/${sessionId}/videos`, {
      token,
      body: {
        path: form.path,
        startsAt: parseCentreDateTime(form.from),
        endsAt: parseCentreDateTime(form.to),
        includeFile: form.includeFile,
      },
    }).then(
      (v) => {
        setMsg({ ok: true, text: `${L('已登记', 'attached')} ${v.name} SHA-256 ${v.sha256.slice(0, 16)}…` });
        reload();
      },
      (err: Error) => setMsg({ ok: false, text: err.message }),
    );
  return (
    <section className="panel">
      <h3>{L('考场录像', 'Room video')}</h3>
      <ul>
        {(data?.videos ?? []).map((v) => (
          <li key={v.id}>
            {v.name} · {Math.round(v.size / 1048576)} MB · {formatDateTime(v.startsAt, { seconds: true })}–
            {formatClock(v.endsAt)} <span className="mono">{v.sha256.slice(0, 16)}…</span>{' '}
            {v.includeFile
              ? L('（随档案归档）', '(in archive)')
              : L('（档案记录路径与哈希）', '(path + hash in archive)')}
          </li>
        ))}
      </ul>
      {(data?.videos ?? []).length === 0 && <p className="meta">{L('尚未登记录像', 'no recordings attached')}</p>}
      {!readOnly && (
        <>
          <div className="form-row">
            <input
              style={{ flex: 1 }}
              value={form.path}
              onChange={(e) => setForm({ ...form, path: e.target.value })}
              placeholder={L('服务器上的录像文件路径', 'file path on the server')}
            />
          </div>
          <div className="form-row">
            <input
              type="datetime-local"
              value={form.from}
              onChange={(e) => setForm({ ...form, from: e.target.value })}
            />
            <input type="datetime-local" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
            <label>
              <input
                type="checkbox"
                checked={form.includeFile}
                onChange={(e) => setForm({ ...form, includeFile: e.target.checked })}
              />{' '}
              {L('文件放入档案', 'copy into archive')}
            </label>
            <button onClick={attach}>{L('登记录像', 'Attach')}</button>
          </div>
        </>
      )}
      {msg && <p className={msg.ok ? 'notice' : 'error'}>{msg.text}</p>}
    </section>
  );
}
