import { useState, type FormEvent } from 'react';
import type { PlanningOptions } from '../../../../server/src/protocol';
import { api } from '../../api';
import { useT } from '../../i18n';
import { useApi } from '../use-api';
import { navigate } from '../use-route';
import { todayInCentre } from '../../time-format';

/** 新建场次: category, blueprint, exam-pool bank version, room, date, start time and duration. */
export function PlanSessionPage({ token, onExpired }: { token: string; onExpired: () => void }) {
  const en = useT().lang === 'en';
  const { data } = useApi<PlanningOptions>('/planning/options', token, onExpired);
  const [category, setCategory] = useState('');
  const [name, setName] = useState('');
  const [blueprintId, setBlueprintId] = useState(0);
  const [bankVersionId, setBankVersionId] = useState(0);
  const [roomId, setRoomId] = useState(0);
  const [date, setDate] = useState(() => todayInCentre(1));
  const [time, setTime] = useState('09:00');
  const [duration, setDuration] = useState<number | ''>('');
  const [error, setError] = useState<string | null>(null);
  if (!data) return <p>…</p>;

  const cat = category || data.categories[0]?.code || '';
  const blueprints = data.blueprints.filter((b) => b.category === cat);
  const versions = data.bankVersions.filter((v) => v.category === cat);
  const bp = blueprints.find((b) => b.id === blueprintId) ?? blueprints[0];
  const version = versions.find((v) => v.id === bankVersionId) ?? versions[0];
  const room = data.rooms.find((r) => r.id === roomId) ?? data.rooms[0];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!bp || !version || !room)
      return setError(en ? 'choose blueprint, bank version and room' : '请选择组卷规则、题库版本和考场');
    // The form's date and time are Beijing time (UTC+8), whatever this PC's clock zone.
    const scheduledStart = Date.parse(`${date}T${time}:00+08:00`);
    try {
      const res = await api<{ sessionId: number }>('/sessions', {
        token,
        body: {
          name: name || `${cat} ${data.categories.find((c) => c.code === cat)?.name ?? ''} 理论考试`,
          category: cat,
          blueprintId: bp.id,
          bankVersionId: version.id,
          roomId: room.id,
          scheduledStart,
          ...(duration ? { durationMinutes: duration } : {}),
        },
      });
      navigate(`/staff/sessions/${res.sessionId}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <form className="panel narrow plan-form" onSubmit={submit}>
      <h1>{en ? 'Plan a session' : '新建考试场次'}</h1>
      <label>
        {en ? 'Category' : '作业项目'}
        <select value={cat} onChange={(e) => setCategory(e.target.value)}>
          {data.categories.map((c) => (
            <option key={c.code} value={c.code}>
              {c.code} {c.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {en ? 'Name' : '场次名称'}
        <input value={name} placeholder={`${cat} 理论考试`} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        {en ? 'Blueprint' : '组卷规则'}
        <select value={bp?.id ?? ''} onChange={(e) => setBlueprintId(Number(e.target.value))}>
          {blueprints.map((b) => (
            <option key={b.id} value={b.id}>
              #{b.id} {b.name}（{b.durationMinutes} min, {en ? 'pass' : '合格'} {b.passMark}）
            </option>
          ))}
        </select>
      </label>
      <label>
        {en ? 'Exam bank version' : '考试题库版本'}
        <select value={version?.id ?? ''} onChange={(e) => setBankVersionId(Number(e.target.value))}>
          {versions.map((v) => (
            <option key={v.id} value={v.id}>
              #{v.id} · {v.itemCount} {en ? 'items' : '题'} · {v.fingerprint.slice(0, 12)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {en ? 'Room' : '考场'}
        <select value={room?.id ?? ''} onChange={(e) => setRoomId(Number(e.target.value))}>
          {data.rooms.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}（{r.seatCount} {en ? 'seats' : '座'}）
            </option>
          ))}
        </select>
      </label>
      <div className="row">
        <label>
          {en ? 'Date' : '日期'}
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
        </label>
        <label>
          {en ? 'Start (Beijing time)' : '开考时间（北京时间）'}
          <input type="time" value={time} onChange={(e) => setTime(e.target.value)} required />
        </label>
        <label>
          {en ? 'Minutes' : '时长（分钟）'}
          <input
            type="number"
            min={5}
            max={300}
            placeholder={String(bp?.durationMinutes ?? 60)}
            value={duration}
            onChange={(e) => setDuration(e.target.value ? Number(e.target.value) : '')}
          />
        </label>
      </div>
      {error && <p className="error">{error}</p>}
      <button className="primary" type="submit">
        {en ? 'Create (draft)' : '创建场次（草稿）'}
      </button>
    </form>
  );
}
