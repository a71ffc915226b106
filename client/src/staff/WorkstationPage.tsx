import { useState } from 'react';
import type { EnrolWorkstationResponse } from '../../../server/src/protocol';
import { api } from '../api';
import { useT } from '../i18n';
import { WORKSTATION_KEY, WORKSTATION_SEAT_KEY } from '../workstation';
import { useApi } from './use-api';

/**
 * Run by a proctor on the exam-room PC itself: enrols this browser as the workstation at one seat, then
 * hands the PC over to the candidate login.
 */
export function WorkstationPage({
  token,
  onExpired,
  onDone,
}: {
  token: string;
  onExpired: () => void;
  onDone: () => void;
}) {
  const en = useT().lang === 'en';
  const { data } = useApi<{ rooms: { id: number; name: string; seatCount: number }[] }>('/rooms', token, onExpired);
  const [roomId, setRoomId] = useState<number | null>(null);
  const [seatNo, setSeatNo] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const current = localStorage.getItem(WORKSTATION_SEAT_KEY);
  const room = data?.rooms.find((r) => r.id === roomId) ?? data?.rooms[0];

  const enrol = async () => {
    if (!room) return;
    setError(null);
    try {
      const res = await api<EnrolWorkstationResponse>(`/rooms/${room.id}/workstations`, { token, body: { seatNo } });
      localStorage.setItem(WORKSTATION_KEY, res.token);
      localStorage.setItem(WORKSTATION_SEAT_KEY, `${room.name} ${res.seatNo}`);
      onDone();
      location.href = '/';
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <section className="panel narrow">
      <h1>{en ? 'Enrol this PC as a workstation' : '考位登记（本机）'}</h1>
      <p>
        {en
          ? 'Do this on the exam-room PC itself. Candidates can then log in on this PC only if it is their seat.'
          : '请在考场内的这台电脑上操作。登记后，只有座位号相符的考生才能在本机登录。'}
      </p>
      {current && <p>{en ? `Currently enrolled: ${current}` : `当前登记：${current}`}</p>}
      <label>
        {en ? 'Room' : '考场'}
        <select value={room?.id ?? ''} onChange={(e) => setRoomId(Number(e.target.value))}>
          {data?.rooms.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}（{r.seatCount}）
            </option>
          ))}
        </select>
      </label>
      <label>
        {en ? 'Seat number' : '座位号'}
        <input
          type="number"
          min={1}
          max={room?.seatCount ?? 1}
          value={seatNo}
          onChange={(e) => setSeatNo(Number(e.target.value))}
        />
      </label>
      {error && <p className="error">{error}</p>}
      <button className="primary" onClick={() => void enrol()}>
        {en ? 'Enrol and switch to candidate login' : '登记并切换到考生登录'}
      </button>
    </section>
  );
}
