import { useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { useT } from '../i18n';

type Phase = 'starting' | 'preview' | 'taken' | 'no-camera' | 'sending' | 'error';
const MAX_CHARS = 240_000; // under the server's 250,000-character limit (protocol/proctoring.ts)

/**
 * 人证核验 step after login: one webcam frame is taken and sent as evidence for the proctor's check. A seat
 * without a camera is recorded as such, and the candidate continues (issue 7; the proctor still checks the ID).
 */
export function IdentitySnapshot({ token, onDone }: { token: string; onDone: () => void }) {
  const { t } = useT();
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const [phase, setPhase] = useState<Phase>('starting');
  const [image, setImage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [noCameraReason, setNoCameraReason] = useState('');

  const stop = () => {
    stream.current?.getTracks().forEach((track) => track.stop());
    stream.current = null;
  };

  useEffect(() => {
    let cancelled = false;
    if (!navigator.mediaDevices?.getUserMedia) {
      setNoCameraReason('no mediaDevices');
      setPhase('no-camera');
      return;
    }
    // A permission prompt nobody answers must not hold the candidate at the door.
    const giveUp = setTimeout(() => {
      cancelled = true;
      setNoCameraReason('camera did not start within 6 s');
      setPhase('no-camera');
    }, 6000);
    navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false }).then(
      (s) => {
        clearTimeout(giveUp);
        if (cancelled) return s.getTracks().forEach((track) => track.stop());
        stream.current = s;
        const v = video.current;
        if (!v) return;
        // The photo button appears only once frames arrive: a click before that would capture nothing.
        const noFrames = setTimeout(() => {
          if (cancelled || v.readyState >= 2) return;
          s.getTracks().forEach((track) => track.stop());
          setNoCameraReason('camera gave no picture within 6 s');
          setPhase('no-camera');
        }, 6000);
        v.onloadeddata = () => {
          clearTimeout(noFrames);
          setPhase('preview');
        };
        v.srcObject = s;
        void v.play();
      },
      (err: Error) => {
        clearTimeout(giveUp);
        if (cancelled) return;
        setNoCameraReason(err.name || 'getUserMedia failed');
        setPhase('no-camera');
      },
    );
    return () => {
      cancelled = true;
      clearTimeout(giveUp);
      stop();
    };
  }, []);

  // No camera: nothing for the candidate to do; record it and go on (the proctor checks the ID card).
  useEffect(() => {
    if (phase === 'no-camera') void send({ camera: 'none', reason: noCameraReason.slice(0, 200) });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [phase]);

  const capture = () => {
    const v = video.current;
    if (!v || !v.videoWidth) return; // not reachable: the button shows after 'loadeddata'
    const canvas = document.createElement('canvas');
    const scale = Math.min(1, 480 / v.videoWidth);
    canvas.width = Math.round(v.videoWidth * scale);
    canvas.height = Math.round(v.videoHeight * scale);
    canvas.getContext('2d')?.drawImage(v, 0, 0, canvas.width, canvas.height);
    let url = canvas.toDataURL('image/jpeg', 0.75);
    if (url.length > MAX_CHARS) url = canvas.toDataURL('image/jpeg', 0.4);
    setImage(url);
    setPhase('taken');
  };

  const send = async (body: unknown) => {
    setPhase('sending');
    try {
      await api('/candidate/snapshot', { token, body });
      stop();
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setPhase('error');
    }
  };

  return (
    <section className="center-card identity-snapshot" data-testid="identity-snapshot">
      <h2>{t('snapshot.title')}</h2>
      <p>{t('snapshot.hint')}</p>
      <video
        ref={video}
        muted
        playsInline
        style={{
          display: phase === 'preview' || phase === 'starting' ? 'block' : 'none',
          width: 320,
          margin: '0 auto',
        }}
      />
      {image && phase !== 'preview' && (
        <img src={image} alt={t('snapshot.alt')} style={{ width: 320, display: 'block', margin: '0 auto' }} />
      )}
      {phase === 'starting' && <p>{t('snapshot.opening')}</p>}
      {phase === 'preview' && (
        <button className="big-button primary" data-testid="snapshot-take" onClick={capture}>
          {t('snapshot.take')}
        </button>
      )}
      {phase === 'taken' && image && (
        <div>
          <button
            className="big-button primary"
            data-testid="snapshot-continue"
            onClick={() => void send({ camera: 'available', image })}
          >
            {t('snapshot.confirm')}
          </button>
          <button className="link-button" onClick={() => setPhase('preview')}>
            {t('snapshot.retake')}
          </button>
        </div>
      )}
      {phase === 'no-camera' && <p>{t('snapshot.noCamera')}</p>}
      {phase === 'sending' && <p>{t('snapshot.sending')}</p>}
      {phase === 'error' && (
        <p className="error" role="alert">
          {error}{' '}
          <button
            className="link-button"
            onClick={() =>
              image ? setPhase('taken') : void send({ camera: 'none', reason: noCameraReason.slice(0, 200) })
            }
          >
            {t('common.retry')}
          </button>
        </p>
      )}
    </section>
  );
}
