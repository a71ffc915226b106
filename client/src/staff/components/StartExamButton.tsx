import type { SessionDetail } from '../../../../server/src/protocol';
import { useT } from '../../i18n';
import { useApi } from '../use-api';
import { ConfirmAction } from './ConfirmAction';

/** 开始考试 confirms how many candidates are present before everyone's clock starts (issue 16). */
export function StartExamButton(props: {
  token: string;
  sessionId: number;
  label: string;
  disabled: boolean;
  onExpired: () => void;
  onStart: () => Promise<void> | void;
}) {
  const en = useT().lang === 'en';
  const { data } = useApi<SessionDetail>(`/sessions/${props.sessionId}`, props.token, props.onExpired);
  const present = data?.roster.filter((r) => r.status !== 'not-logged-in').length ?? 0;
  const missing = (data?.registered ?? 0) - present;
  return (
    <ConfirmAction
      className="primary"
      disabled={props.disabled}
      label={props.label}
      title={props.label}
      testId="start-button"
      consequence={
        !data
          ? '…'
          : en
            ? `${present} of ${data.registered} candidates are logged in at their seats${missing > 0 ? ` (${missing} not here yet)` : ''}. Every candidate's clock starts now.`
            : `开始考试：已到场登录 ${present} 人，共 ${data.registered} 人${missing > 0 ? `，${missing} 人未到` : ''}。开始后全体考生开始计时。`
      }
      onConfirm={props.onStart}
    />
  );
}
