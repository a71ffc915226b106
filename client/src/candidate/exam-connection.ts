import { io, type Socket } from 'socket.io-client';
import { WORKSTATION_KEY } from '../workstation';
import type {
  Ack,
  AnswerSaveAck,
  CandidateClientToServer,
  CandidateServerToClient,
  ExamResultView,
  ExamSnapshot,
  ExamSubmitAck,
  ProctorMessage,
  TimeSync,
} from '../../../server/src/protocol';

type Pending = { choice: number[]; seq: number };
type Stored = { lastSeq: number; pending: Record<number, Pending> };

export type SaveState = 'saved' | 'saving' | 'failed';

export type ExamView = {
  connected: boolean;
  snapshot: ExamSnapshot | null;
  answers: Record<number, number[]>;
  saveState: Record<number, SaveState>;
  // Remaining time is counted from the last server sync with the local monotonic clock,
  // so a wrong PC clock does not matter.
  remainingAtSync: number;
  syncedAt: number;
  submitted: { reason: string; result: ExamResultView | null } | null;
  paused: boolean;
  seatMovedTo: number | null;
  error: string | null;
  /** The proctor's latest message (proctoring, issue 7). */
  message: ProctorMessage | null;
  /** Outage time the server just gave back, not yet acknowledged by the candidate (issue 16). */
  givenBackMs: number | null;
};

const ACK_TIMEOUT_MS = 10_000;

/**
 * The candidate's link to the server. Every answer change is kept in localStorage until the server
 * acknowledges it as durable, and replayed after any reconnect; the server ignores duplicates.
 */
export class ExamConnection {
  private socket: Socket<CandidateServerToClient, CandidateClientToServer>;
  private readonly storageKey: string;
  private readonly givenBackKey: string;
  private stored: Stored;
  private view: ExamView = {
    connected: false,
    snapshot: null,
    answers: {},
    saveState: {},
    remainingAtSync: 0,
    syncedAt: performance.now(),
    submitted: null,
    paused: false,
    seatMovedTo: null,
    error: null,
    message: null,
    givenBackMs: null,
  };
  private readonly listeners = new Set<() => void>();
  // Sequence numbers of saves awaiting their ack: a replay does not send them twice.
  private readonly inFlight = new Set<number>();
  private syncTimer: ReturnType<typeof setInterval> | undefined;
  private retryTimer: ReturnType<typeof setInterval> | undefined;

  constructor(token: string, registrationId: number) {
    this.storageKey = `exam-center.pending.${registrationId}`;
    this.givenBackKey = `exam-center.given-back.${registrationId}`;
    this.stored = this.load();
    // The seat's workstation token goes with the candidate's: the server binds the exam to this PC (issue 13).
    const workstationToken = localStorage.getItem(WORKSTATION_KEY) ?? undefined;
    this.socket = io({ auth: { token, workstationToken }, transports: ['websocket', 'polling'] });
    this.socket.on('connect', () => {
      this.update({ connected: true });
      this.join();
    });
    this.socket.on('disconnect', () => this.update({ connected: false }));
    this.socket.on('connect_error', (err) => {
      if (err.message === 'seat-moved') this.update({ connected: false, seatMovedTo: this.view.seatMovedTo ?? 0 });
      else this.update({ connected: false, error: err.message });
    });
    this.socket.on('exam:resync', () => void this.syncTime());
    this.socket.on('proctor:message', (message) => this.update({ message }));
    this.socket.on('exam:seat-moved', ({ toSeat }) => {
      this.update({ seatMovedTo: toSeat });
      this.socket.close();
    });
    this.socket.on('exam:time', (sync) => this.applyTime(sync));
    this.socket.on('exam:submitted', (info) => {
      this.update({ submitted: info });
      this.join();
    });
    // 30 s resync at most (issue 6); 20 s leaves margin.
    this.syncTimer = setInterval(() => this.syncTime(), 20_000);
    this.retryTimer = setInterval(() => this.replay(), 5_000);
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  getView = () => this.view;

  dismissMessage = () => this.update({ message: null });
  dismissGivenBack = () => this.update({ givenBackMs: null });

  /**
   * The timer jumps when the server gives outage time back; say why. The total seen is kept in localStorage
   * so that a reload does not announce the same outage twice.
   */
  private noteGivenBack(totalMs: number): void {
    const seen = Number(localStorage.getItem(this.givenBackKey) ?? 0) || 0;
    if (totalMs <= seen) return;
    localStorage.setItem(this.givenBackKey, String(totalMs));
    this.update({ givenBackMs: (this.view.givenBackMs ?? 0) + totalMs - seen });
  }

  close(): void {
    clearInterval(this.syncTimer);
    clearInterval(this.retryTimer);
    this.socket.close();
  }

  private update(patch: Partial<ExamView>): void {
    this.view = { ...this.view, ...patch };
    this.listeners.forEach((l) => l());
  }

  private load(): Stored {
    try {
      const raw = localStorage.getItem(this.storageKey);
      if (raw) return JSON.parse(raw) as Stored;
    } catch {
      /* a damaged entry is replaced below */
    }
    return { lastSeq: 0, pending: {} };
  }

  private persist(): void {
    localStorage.setItem(this.storageKey, JSON.stringify(this.stored));
  }

  private emit<T>(event: keyof CandidateClientToServer, payload: unknown): Promise<Ack<T>> {
    return new Promise((resolve) => {
      if (!this.socket.connected) {
        resolve({ ok: false, error: { code: 'offline', message: 'offline' } });
        return;
      }
      this.socket.timeout(ACK_TIMEOUT_MS).emit(event, payload, ((err: Error | null, ack: Ack<T>) => {
        resolve(err ? { ok: false, error: { code: 'timeout', message: 'no answer from server' } } : ack);
      }) as never);
    });
  }

  private applySnapshot(snapshot: ExamSnapshot): void {
    this.stored.lastSeq = Math.max(this.stored.lastSeq, snapshot.lastSeq);
    const answers: Record<number, number[]> = {};
    const saveState: Record<number, SaveState> = {};
    for (const [pos, a] of Object.entries(snapshot.answers)) {
      answers[Number(pos)] = a.choice;
      saveState[Number(pos)] = 'saved';
    }
    for (const [pos, p] of Object.entries(this.stored.pending)) {
      const server = snapshot.answers[Number(pos)];
      if (server && server.seq >= p.seq) delete this.stored.pending[Number(pos)];
      else {
        answers[Number(pos)] = p.choice;
        saveState[Number(pos)] = 'saving';
      }
    }
    this.persist();
    this.noteGivenBack(snapshot.timeGivenBackMs);
    this.update({
      snapshot,
      answers,
      saveState,
      remainingAtSync: snapshot.remainingMs,
      syncedAt: performance.now(),
      paused: snapshot.paused,
      error: null,
    });
  }

  private applyTime(sync: TimeSync): void {
    this.noteGivenBack(sync.timeGivenBackMs);
    this.update({ remainingAtSync: sync.remainingMs, syncedAt: performance.now(), paused: sync.paused });
    // Saves refused during a pause wait in the queue; send them as soon as the clock runs again.
    if (!sync.paused) this.replay();
    if (sync.status === 'submitted' && this.view.snapshot?.status !== 'submitted') this.join();
  }

  async join(): Promise<void> {
    const ack = await this.emit<ExamSnapshot>('exam:join', {});
    if (ack.ok) {
      this.applySnapshot(ack.data);
      this.replay();
    } else if (ack.error.code !== 'offline') this.update({ error: ack.error.message });
  }

  async start(): Promise<void> {
    const ack = await this.emit<ExamSnapshot>('exam:start', {});
    if (ack.ok) this.applySnapshot(ack.data);
    else this.update({ error: ack.error.message });
  }

  async syncTime(): Promise<void> {
    const ack = await this.emit<TimeSync>('exam:time', {});
    if (ack.ok) this.applyTime(ack.data);
  }

  answer(position: number, choice: number[]): void {
    const seq = ++this.stored.lastSeq;
    this.stored.pending[position] = { choice, seq };
    this.persist();
    this.update({
      answers: { ...this.view.answers, [position]: choice },
      saveState: { ...this.view.saveState, [position]: 'saving' },
    });
    void this.send(position, { choice, seq });
  }

  private replay(): void {
    const status = this.view.snapshot?.status;
    // Also after submission (the clock auto-submitted while this browser was offline at zero): the queue is
    // sent once more so that the server, which refuses each save, keeps it as evidence (issue 13 hole 8).
    if (!this.socket.connected || (status !== 'in-progress' && status !== 'submitted')) return;
    for (const [pos, p] of Object.entries(this.stored.pending))
      if (!this.inFlight.has(p.seq)) void this.send(Number(pos), p);
  }

  private async send(position: number, p: Pending): Promise<void> {
    this.inFlight.add(p.seq);
    const ack = await this.emit<AnswerSaveAck>('answer:save', { position, choice: p.choice, seq: p.seq });
    this.inFlight.delete(p.seq);
    const stillPending = this.stored.pending[position]?.seq === p.seq;
    if (ack.ok) {
      if (stillPending) {
        delete this.stored.pending[position];
        this.persist();
        this.update({ saveState: { ...this.view.saveState, [position]: 'saved' } });
      }
      return;
    }
    const transient = ['offline', 'timeout', 'save-failed', 'session-paused'].includes(ack.error.code);
    if (!transient && stillPending) {
      // Refused for good (time up, already submitted): keeping it would replay forever. The server kept a
      // late save as evidence; once the paper shows as submitted there is nothing more to tell the candidate.
      delete this.stored.pending[position];
      this.persist();
      if (ack.error.code === 'already-submitted' && this.view.snapshot?.status === 'submitted') return;
      this.update({ error: ack.error.message });
      void this.join();
      return;
    }
    if (stillPending) this.update({ saveState: { ...this.view.saveState, [position]: 'failed' } });
  }

  /** Reports behaviour the proctor should know about (focus loss, leaving full screen, copy/paste). */
  signal = (kind: string): void => {
    if (this.socket.connected) this.socket.emit('proctor:signal', { kind }, () => undefined);
  };

  pendingCount(): number {
    return Object.keys(this.stored.pending).length;
  }

  /** Saves everything still pending first: a paper is never submitted ahead of its own answers. */
  async submit(): Promise<Ack<ExamSubmitAck>> {
    await Promise.all(Object.entries(this.stored.pending).map(([pos, p]) => this.send(Number(pos), p)));
    if (this.pendingCount() > 0)
      return { ok: false, error: { code: 'pending-answers', message: '还有答案未保存到服务器，请检查网络后再交卷' } };
    const ack = await this.emit<ExamSubmitAck>('exam:submit', { confirm: true });
    if (ack.ok) await this.join();
    return ack;
  }
}
