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

/** The audit section's own pages; sessions and conduct are in the console navigation above. */
export function AuditNav({ en }: { en: boolean }) {
  const base = location.pathname.startsWith('/official') ? '/official' : '/staff';
  return (
    <nav className="audit-nav">
      <Link href={`${base}/audit`}>{en ? 'Overview: live sessions, archives' : '概览：进行中的考试、档案'}</Link>
      <Link href={`${base}/audit/log/institution`}>{en ? 'Institution log' : '机构日志'}</Link>
    </nav>
  );
}
