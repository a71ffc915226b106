import { useT } from '../../i18n';
import { TableImport } from './ImportPage';
import type { PeopleCtx } from './PeopleRoutes';
import { peopleText } from './people-text';

/** The session roster import: candidates already in the registry, by ID number (seat and admission no. optional). */
export function ImportPageRoster({
  ctx,
  sessionId,
  onDone,
}: {
  ctx: PeopleCtx;
  sessionId: number;
  onDone: () => void;
}) {
  const { lang } = useT();
  return (
    <TableImport
      ctx={ctx}
      path={`/sessions/${sessionId}/registrations/import`}
      kind="roster"
      title={peopleText(lang).importRoster}
      onDone={onDone}
    />
  );
}
