import { useEffect, useState } from 'react';
import { api, ApiError } from '../api';
import { useT, type MessageKey } from '../i18n';

const ASPECTS = ['service', 'fairness', 'equipment', 'staffConduct'] as const;
type Aspect = (typeof ASPECTS)[number];
const KINDS = ['money', 'coaching', 'recusal', 'other'] as const;

/**
 * After submitting: the satisfaction survey (满意度调查) and the conduct report (畅通反映渠道). Both are
 * optional and go to their own endpoints; nothing here touches the result (server: conduct.service.ts).
 */
export function AfterExamFeedback({ token }: { token: string }) {
  const { t } = useT();
  const [open, setOpen] = useState(false);
  const [scores, setScores] = useState<Record<Aspect, number>>({
    service: 0,
    fairness: 0,
    equipment: 0,
    staffConduct: 0,
  });
  const [comment, setComment] = useState('');
  const [surveyDone, setSurveyDone] = useState(false);
  const [kind, setKind] = useState<(typeof KINDS)[number]>('money');
  const [body, setBody] = useState('');
  const [anonymous, setAnonymous] = useState(true);
  const [contact, setContact] = useState('');
  const [reportDone, setReportDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // After a reload the form must not offer a survey already answered (the server refuses a second one anyway).
  useEffect(() => {
    if (!open) return;
    api<{ surveyAnswered: boolean }>('/candidate/conduct', { token })
      .then((s) => s.surveyAnswered && setSurveyDone(true))
      .catch(() => undefined);
  }, [open, token]);

  const send = async (path: string, payload: unknown, done: () => void) => {
    setBusy(true);
    setError(null);
    try {
      await api(path, { token, body: payload });
      done();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  if (!open)
    return (
      <p>
        <button className="link-button" data-testid="feedback-open" onClick={() => setOpen(true)}>
          {t('feedback.open')}
        </button>
      </p>
    );

  return (
    <section className="after-exam" data-testid="after-exam-feedback">
      <h3>{t('feedback.title')}</h3>
      <p className="hint">{t('feedback.note')}</p>
      <fieldset className="feedback-block">
        <legend>{t('feedback.surveyTitle')}</legend>
        {surveyDone ? (
          <p data-testid="survey-done">{t('feedback.surveyThanks')}</p>
        ) : (
          <>
            {ASPECTS.map((a) => (
              <div className="feedback-row" key={a} role="radiogroup" aria-label={t(`feedback.${a}` as MessageKey)}>
                <span className="feedback-label">{t(`feedback.${a}` as MessageKey)}</span>
                {[1, 2, 3, 4, 5].map((n) => (
                  <label key={n} className={`score-choice ${scores[a] === n ? 'chosen' : ''}`}>
                    <input
                      type="radio"
                      name={a}
                      value={n}
                      checked={scores[a] === n}
                      onChange={() => setScores({ ...scores, [a]: n })}
                    />
                    {t('feedback.score', { n })}
                  </label>
                ))}
              </div>
            ))}
            <label className="feedback-text">
              {t('feedback.comment')}
              <textarea maxLength={500} rows={3} value={comment} onChange={(e) => setComment(e.target.value)} />
            </label>
            <button
              className="big-button"
              data-testid="survey-send"
              disabled={busy || ASPECTS.some((a) => scores[a] === 0)}
              onClick={() => void send('/candidate/conduct/survey', { ...scores, comment }, () => setSurveyDone(true))}
            >
              {t('feedback.sendSurvey')}
            </button>
          </>
        )}
      </fieldset>
      <fieldset className="feedback-block">
        <legend>{t('feedback.reportTitle')}</legend>
        {reportDone ? (
          <p data-testid="report-done">{t('feedback.reportThanks')}</p>
        ) : (
          <>
            <p className="hint">{t('feedback.reportHint')}</p>
            <label className="feedback-text">
              {t('feedback.kind')}
              <select
                data-testid="report-kind"
                value={kind}
                onChange={(e) => setKind(e.target.value as (typeof KINDS)[number])}
              >
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`feedback.kind.${k}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
            <label className="feedback-text">
              {t('feedback.body')}
              <textarea
                data-testid="report-body"
                maxLength={2000}
                rows={5}
                value={body}
                onChange={(e) => setBody(e.target.value)}
              />
            </label>
            <label className="feedback-check">
              <input
                type="checkbox"
                data-testid="report-anonymous"
                checked={anonymous}
                onChange={(e) => setAnonymous(e.target.checked)}
              />
              {t('feedback.anonymous')}
            </label>
            {!anonymous && (
              <label className="feedback-text">
                {t('feedback.contact')}
                <input maxLength={100} value={contact} onChange={(e) => setContact(e.target.value)} />
              </label>
            )}
            <button
              className="big-button"
              data-testid="report-send"
              disabled={busy || body.trim().length < 5}
              onClick={() =>
                void send(
                  '/candidate/conduct/report',
                  { kind, body, anonymous, contact: anonymous ? '' : contact },
                  () => setReportDone(true),
                )
              }
            >
              {t('feedback.sendReport')}
            </button>
          </>
        )}
      </fieldset>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
