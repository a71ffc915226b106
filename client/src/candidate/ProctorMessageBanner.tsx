import type { ProctorMessage } from '../../../server/src/protocol';

/** The proctor's latest warning, notice or broadcast, shown until the candidate dismisses it. */
export function ProctorMessageBanner({
  message,
  onDismiss,
}: {
  message: ProctorMessage | null;
  onDismiss: () => void;
}) {
  if (!message) return null;
  const label =
    message.kind === 'warning'
      ? '监考警告 Warning'
      : message.kind === 'broadcast'
        ? '考场广播 Announcement'
        : '监考提醒 Notice';
  return (
    <div className={`proctor-message ${message.kind}`} role="alert" data-testid="proctor-message">
      <strong>{label}：</strong>
      {message.text}
      <button className="link-button" onClick={onDismiss}>
        知道了 OK
      </button>
    </div>
  );
}
