import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { CandidateProfile } from '../../../server/src/protocol';
import { useT } from '../i18n';
import { ExamConnection } from './exam-connection';
import { QuestionPanel } from './QuestionPanel';
import { AnswerCard } from './AnswerCard';
import { SubmitDialog } from './SubmitDialog';
import { Countdown, TimeGivenBackNotice } from './Countdown';
import { PracticeScreen } from './PracticeScreen';
import { enterFullscreen, useExamGuards } from './exam-guards';
import { IdentitySnapshot } from './IdentitySnapshot';
import { ProctorMessageBanner } from './ProctorMessageBanner';
import { AfterExamFeedback } from './AfterExamFeedback';

const FONT_SIZES = ['size-m', 'size-l', 'size-xl'] as const;

export function ExamScreen({
  token,
  profile,
  onLogout,
}: {
  token: string;
  profile: CandidateProfile;
  onLogout: () => void;
}) {
  const { t } = useT();
  const connection = useMemo(() => new ExamConnection(token, profile.registrationId), [token, profile.registrationId]);
  useEffect(() => () => connection.close(), [connection]);
  const view = useSyncExternalStore(connection.subscribe, connection.getView);
  // The question on screen survives a reload, like the answers.
  const currentKey = `exam-center.current.${profile.registrationId}`;
  const [current, setCurrent] = useState(() => Number(localStorage.getItem(currentKey) ?? 1) || 1);
  useEffect(() => localStorage.setItem(currentKey, String(current)), [currentKey, current]);
  const [flags, setFlags] = useState<Set<number>>(() => new Set());
  const [confirming, setConfirming] = useState(false);
  // 人证核验 snapshot once per registration on this seat, before the rules screen (issue 7).
  const snapshotKey = `exam-center.snapshot.${profile.registrationId}`;
  const [snapshotDone, setSnapshotDone] = useState(() => localStorage.getItem(snapshotKey) === '1');
  const messageBanner = (
    <>
      <ProctorMessageBanner message={view.message} onDismiss={connection.dismissMessage} />
      <TimeGivenBackNotice ms={view.givenBackMs} onDismiss={connection.dismissGivenBack} />
    </>
  );
  const [practising, setPractising] = useState(false);
  const [fontSize, setFontSize] = useState<number>(() => Number(localStorage.getItem('exam-center.font') ?? 1));
  const snapshot = view.snapshot;
  useExamGuards(snapshot?.status === 'in-progress', connection.signal);

  useEffect(() => localStorage.setItem('exam-center.font', String(fontSize)), [fontSize]);

  const header = (
    <section className="candidate-bar" aria-label="candidate">
      <div className="photo" aria-label={t('candidate.photo')}>
        {profile.photo ? <img src={profile.photo} alt={profile.name} /> : <span>{profile.name.slice(0, 1)}</span>}
      </div>
      <dl>
        <div>
          <dt>{t('candidate.name')}</dt>
          <dd data-testid="candidate-name">{profile.name}</dd>
        </div>
        <div>
          <dt>{t('login.admissionNo')}</dt>
          <dd>{profile.admissionNo}</dd>
        </div>
        <div>
          <dt>{t('candidate.seat')}</dt>
          <dd>{profile.seatNo}</dd>
        </div>
        <div>
          <dt>{t('candidate.session')}</dt>
          <dd>{profile.session.name}</dd>
        </div>
      </dl>
      {snapshot?.status === 'in-progress' && (
        <Countdown
          remainingAtSync={view.remainingAtSync}
          syncedAt={view.syncedAt}
          paused={view.paused}
          warnBeforeEndMs={snapshot.warnBeforeEndMs}
          onZero={() => void connection.join()}
        />
      )}
    </section>
  );

  const offline = !view.connected && view.seatMovedTo === null && (
    <div className="offline-banner" role="alert">
      {t('exam.offline')}
    </div>
  );
  const paused = view.paused && snapshot?.status === 'in-progress' && (
    <div className="paused-banner" role="alert">
      {t('exam.paused')}
    </div>
  );

  if (view.seatMovedTo !== null) {
    return (
      <main className={`exam ${FONT_SIZES[fontSize]}`}>
        {header}
        <section className="center-card" role="alert">
          <h2>{t('exam.seatMoved.title')}</h2>
          <p>{t('exam.seatMoved.text', { seat: view.seatMovedTo || '?' })}</p>
          <button className="big-button primary" onClick={onLogout}>
            {t('common.logout')}
          </button>
        </section>
      </main>
    );
  }

  if (!snapshot) {
    return (
      <main className={`exam ${FONT_SIZES[fontSize]}`}>
        {header}
        {offline}
        <p className="center-card">{view.error ?? t('common.loading')}</p>
      </main>
    );
  }

  if (snapshot.status === 'not-started' && practising) {
    return (
      <main className={`exam ${FONT_SIZES[fontSize]}`}>
        {header}
        <PracticeScreen token={token} category={profile.session.category} onExit={() => setPractising(false)} />
      </main>
    );
  }

  if (snapshot.status === 'not-started' && !snapshotDone) {
    return (
      <main className={`exam ${FONT_SIZES[fontSize]}`}>
        {header}
        {offline}
        <IdentitySnapshot
          token={token}
          onDone={() => {
            localStorage.setItem(snapshotKey, '1');
            setSnapshotDone(true);
          }}
        />
      </main>
    );
  }

  if (snapshot.status === 'not-started') {
    return (
      <main className={`exam ${FONT_SIZES[fontSize]}`}>
        {header}
        {offline}
        {messageBanner}
        <section className="center-card rules">
          <h2>{t('wait.rules')}</h2>
          <ol>
            <li>{t('wait.rule1')}</li>
            <li>{t('wait.rule2')}</li>
            <li>{t('wait.rule3')}</li>
            <li>{t('wait.rule4')}</li>
          </ol>
          {view.error && (
            <p className="error" role="alert">
              {view.error}
            </p>
          )}
          <button
            className="big-button primary"
            autoFocus
            onClick={() => {
              enterFullscreen();
              void connection.start();
            }}
          >
            {t('wait.start')}
          </button>
          <button className="big-button" onClick={() => setPractising(true)}>
            {t('practice.open')}
          </button>
          <button className="link-button" onClick={onLogout}>
            {t('common.logout')}
          </button>
        </section>
      </main>
    );
  }

  if (snapshot.status === 'submitted') {
    const r = snapshot.result;
    const reason = view.submitted?.reason;
    return (
      <main className={`exam ${FONT_SIZES[fontSize]}`}>
        {header}
        <section className="center-card result" data-testid="result">
          <h2>{t('result.title')}</h2>
          {reason === 'time-up' && <p>{t('result.timeUp')}</p>}
          {reason === 'proctor' && <p>{t('result.byProctor')}</p>}
          {r ? (
            <>
              <p className="score-label">{t('result.score')}</p>
              <p className={`score ${r.passed ? 'pass' : 'fail'}`}>
                <span data-testid="score">{r.score}</span> / {r.maxScore}
              </p>
              <p className={`verdict ${r.passed ? 'pass' : 'fail'}`}>
                {r.passed ? t('result.passed') : t('result.failed')}
              </p>
              <p className="hint">{t('result.passMark', { m: r.passMark })}</p>
            </>
          ) : (
            <p>{t('result.hidden')}</p>
          )}
          <AfterExamFeedback token={token} />
          <button className="big-button" onClick={onLogout}>
            {t('common.logout')}
          </button>
        </section>
      </main>
    );
  }

  const questions = snapshot.questions;
  const question = questions[current - 1] ?? questions[0];
  const toggleFlag = (position: number) =>
    setFlags((prev) => {
      const next = new Set(prev);
      if (next.has(position)) next.delete(position);
      else next.add(position);
      return next;
    });

  return (
    <main className={`exam ${FONT_SIZES[fontSize]}`}>
      {header}
      {offline}
      {paused}
      {messageBanner}
      <div className="exam-tools">
        <span>{t('exam.fontSize')}</span>
        {FONT_SIZES.map((_, i) => (
          <button
            key={i}
            className={`size-button ${i === fontSize ? 'active' : ''}`}
            aria-pressed={i === fontSize}
            onClick={() => setFontSize(i)}
          >
            {['A', 'A+', 'A++'][i]}
          </button>
        ))}
      </div>
      <div className="exam-body">
        {question && (
          <QuestionPanel
            question={question}
            total={questions.length}
            choice={view.answers[question.position] ?? []}
            saveState={view.saveState[question.position]}
            flagged={flags.has(question.position)}
            keyboardEnabled={!confirming}
            onChoose={(choice) => connection.answer(question.position, choice)}
            onFlag={() => toggleFlag(question.position)}
            onMove={(delta) => setCurrent((c) => Math.min(questions.length, Math.max(1, c + delta)))}
          />
        )}
        <AnswerCard
          questions={questions}
          answers={view.answers}
          saveState={view.saveState}
          flags={flags}
          current={current}
          onGo={setCurrent}
          onSubmit={() => setConfirming(true)}
        />
      </div>
      {confirming && (
        <SubmitDialog
          questions={questions}
          answers={view.answers}
          canSubmitAfterMs={snapshot.canSubmitAfterMs}
          onCancel={() => setConfirming(false)}
          onConfirm={async () => {
            const ack = await connection.submit();
            if (ack.ok) setConfirming(false);
            return ack.ok ? null : ack.error.message;
          }}
        />
      )}
    </main>
  );
}
