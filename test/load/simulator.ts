import { io, type Socket } from 'socket.io-client';
import type { Ack, AnswerSaveAck, CandidateLoginResponse, ExamSnapshot, TimeSync } from '../../server/src/protocol';

export type Credentials = { admissionNo: string; idNumber: string };
type Shape = { position: number; type: 'judge' | 'single' | 'multi'; optionCount: number };

const ACK_TIMEOUT_MS = 10_000;

/**
 * One simulated candidate, behaving like the real client (client/src/candidate/exam-connection.ts): every
 * change gets the next sequence number, stays pending until acknowledged, and is replayed after reconnect.
 * Records every acknowledged save so a test can check none was lost.
 */
export class SimulatedCandidate {
  socket: Socket | null = null;
  token = '';
  registrationId = 0;
  questions: Shape[] = [];
  private seq = 0;
  private next = 0;
  readonly pending = new Map<number, { seq: number; choice: number[] }>();
  readonly acked: { position: number; seq: number; choice: number[] }[] = [];
  lastSync: { remainingMs: number; at: number } | null = null;
  joins = 0;
  errors: string[] = [];

  constructor(
    private readonly url: string,
    readonly credentials: Credentials,
    private readonly random: () => number = Math.random,
  ) {}

  async login(): Promise<void> {
    const res = await fetch(`${this.url}/api/auth/candidate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(this.credentials),
    });
    if (!res.ok) throw new Error(`login ${this.credentials.admissionNo}: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as CandidateLoginResponse;
    this.token = body.token;
    this.registrationId = body.registrationId;
  }

  /** Connects with automatic reconnection; every (re)connect re-joins and replays what is pending. */
  connect(): Promise<void> {
    const socket = io(this.url, {
      auth: { token: this.token },
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 200,
      reconnectionDelayMax: 1000,
    });
    this.socket = socket;
    socket.on('connect', () => void this.join());
    socket.on('exam:resync', () => void this.sync());
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => reject(err));
    });
  }

  private call<T>(event: string, payload: unknown = {}): Promise<Ack<T>> {
    const socket = this.socket;
    if (!socket?.connected) return Promise.resolve({ ok: false, error: { code: 'offline', message: 'offline' } });
    return new Promise((resolve) => {
      socket
        .timeout(ACK_TIMEOUT_MS)
        .emit(event, payload, (err: Error | null, ack: Ack<T>) =>
          resolve(err ? { ok: false, error: { code: 'timeout', message: err.message } } : ack),
        );
    });
  }

  private adopt(snapshot: ExamSnapshot): void {
    this.questions = snapshot.questions.map((q) => ({
      position: q.position,
      type: q.type,
      optionCount: q.options.length,
    }));
    this.seq = Math.max(this.seq, snapshot.lastSeq);
    this.lastSync = { remainingMs: snapshot.remainingMs, at: Date.now() };
  }

  async join(): Promise<void> {
    const ack = await this.call<ExamSnapshot>('exam:join');
    if (!ack.ok) return;
    this.adopt(ack.data);
    this.joins++;
    for (const [position, p] of this.pending) void this.send(position, p);
  }

  async start(): Promise<void> {
    const ack = await this.call<ExamSnapshot>('exam:start');
    if (!ack.ok) throw new Error(`start: ${ack.error.code}`);
    this.adopt(ack.data);
  }

  async sync(): Promise<TimeSync | null> {
    const ack = await this.call<TimeSync>('exam:time');
    if (!ack.ok) return null;
    this.lastSync = { remainingMs: ack.data.remainingMs, at: Date.now() };
    return ack.data;
  }

  /** Answers the next question with a random valid choice (sometimes changing an earlier answer). */
  answerOne(): Promise<void> {
    if (this.questions.length === 0) return Promise.resolve();
    const q = this.questions[this.next++ % this.questions.length]!;
    let choice: number[];
    if (q.type === 'multi') {
      choice = Array.from({ length: q.optionCount }, (_, i) => i).filter(() => this.random() < 0.5);
      if (choice.length === 0) choice = [0];
    } else choice = [Math.floor(this.random() * q.optionCount)];
    const p = { seq: ++this.seq, choice };
    this.pending.set(q.position, p);
    return this.send(q.position, p);
  }

  private async send(position: number, p: { seq: number; choice: number[] }): Promise<void> {
    const ack = await this.call<AnswerSaveAck>('answer:save', { position, choice: p.choice, seq: p.seq });
    if (ack.ok) {
      this.acked.push({ position, seq: p.seq, choice: p.choice });
      if (this.pending.get(position)?.seq === p.seq) this.pending.delete(position);
    } else if (!['offline', 'timeout', 'save-failed', 'session-paused'].includes(ack.error.code)) {
      this.errors.push(ack.error.code);
      if (this.pending.get(position)?.seq === p.seq) this.pending.delete(position);
    }
  }

  /** Submits the paper (after saving what is pending, as the real client does). */
  async submit(): Promise<void> {
    for (const [position, p] of this.pending) await this.send(position, p);
    const ack = await this.call('exam:submit', { confirm: true });
    if (!ack.ok) throw new Error(`submit ${this.credentials.admissionNo}: ${ack.error.code}`);
  }

  /**
   * After a proctor moved this candidate (machine failure), they log in again at the new seat: the old
   * socket is closed by the server, pending answers are replayed over the new one.
   */
  async relogin(): Promise<void> {
    this.socket?.close();
    await this.login();
    await this.connect();
  }

  close(): void {
    this.socket?.close();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the condition holds, checking every 50 ms, or fails after the timeout. */
export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Each candidate answers every paceMs (with jitter) until stop() is called. */
export function answerContinuously(candidates: SimulatedCandidate[], paceMs: number): { stop(): void } {
  const timers = candidates.map((c) => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      void c.answerOne();
      timer = setTimeout(tick, paceMs * (0.5 + Math.random()));
    };
    timer = setTimeout(tick, Math.random() * paceMs);
    return () => clearTimeout(timer);
  });
  return { stop: () => timers.forEach((t) => t()) };
}
