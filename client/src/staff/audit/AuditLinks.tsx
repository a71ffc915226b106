import { navigate } from '../use-route';

/** A link inside the single-page console (history push, Back works). */
export function Link({ href, children, testId }: { href: string; children: React.ReactNode; testId?: string }) {
  return (
    <a
      href={href}
      data-testid={testId}
      onClick={(e) => {
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}

export function AuditNav({ en }: { en: boolean }) {
  return (
    <nav className="audit-nav">
      <Link href="/official/audit">{en ? 'Overview' : '监管首页'}</Link>
      <Link href="/official/audit/log/institution">{en ? 'Institution log' : '机构日志'}</Link>
      <Link href="/official">{en ? 'All sessions' : '全部场次'}</Link>
      <Link href="/official/conduct/reports">{en ? 'Conduct supervision' : '行风监督'}</Link>
    </nav>
  );
}

/** Entry links above the session list: the officials' console and, for staff, nothing else to learn. */
export function AuditEntry({ roles, en }: { roles: string[]; en: boolean }) {
  if (!roles.some((r) => r === 'official' || r === 'admin' || r === 'chief_examiner')) return null;
  const base = roles.includes('official') ? '/official' : '/staff';
  return (
    <nav className="audit-nav">
      <Link href={`${base}/audit`} testId="audit-entry">
        {en ? "Officials' console: logs, anomalies, archives" : '监管控制台：日志、异常、档案'}
      </Link>
    </nav>
  );
}
