import { useState } from 'react';
import type { ImportJobView, ImportSummary } from '../../../../server/src/protocol';
import { followJob, uploadFile } from './bank-api';
import type { BankText } from './bank-text';
import { ProblemTable } from './ProblemTable';

type Progress = { phase: string; done: number; total: number };

/** Upload a bank file, validate or import it, with a progress bar and the table of problems. */
export function ImportPanel({ token, t, onImported }: { token: string; t: BankText; onImported: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [category, setCategory] = useState('N1');
  const [categoryName, setCategoryName] = useState('');
  const [pool, setPool] = useState<'exam' | 'practice' | ''>('');
  const [mode, setMode] = useState<'append' | 'replace'>('append');
  const [encoding, setEncoding] = useState<'utf-8' | 'gb18030'>('utf-8');
  const [progress, setProgress] = useState<Progress | null>(null);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const busy = progress !== null && !summary && !error;

  const query = (): Record<string, string> => ({
    fileName: file?.name ?? '',
    ...(category ? { category } : {}),
    ...(categoryName ? { categoryName } : {}),
    ...(pool ? { pool } : {}),
    mode,
    encoding,
  });

  const start = async (what: 'validate' | 'import') => {
    if (!file) return setError(t.chooseFile);
    if (what === 'import' && !pool && !file.name.endsWith('.json')) return setError(t.needPool);
    setError(null);
    setSummary(null);
    setProgress({ phase: 'upload', done: 0, total: file.size });
    const onUpload = (done: number, total: number) => setProgress({ phase: 'upload', done, total });
    try {
      if (what === 'validate') {
        setSummary(await uploadFile<ImportSummary>('/bank/validate', query(), file, token, onUpload));
      } else {
        const { job } = await uploadFile<{ job: ImportJobView }>('/bank/imports', query(), file, token, onUpload);
        const result = await followJob(job.id, token, (j) => setProgress(j.progress));
        setSummary(result);
        if (result?.outcome === 'imported') onImported();
      }
      setProgress((p) => (p ? { ...p, done: p.total } : p));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  // Upload counts for the first 40 %, the server's phases for the rest.
  const weights: Record<string, [number, number]> = {
    upload: [0, 40],
    read: [40, 30],
    parse: [70, 10],
    check: [80, 10],
    store: [90, 10],
  };
  const [from, span] = weights[progress?.phase ?? 'upload'] ?? [0, 100];
  const pct = progress
    ? summary
      ? 100
      : Math.min(100, from + (progress.total ? (span * progress.done) / progress.total : 0))
    : 0;
  const problems = summary ? [...summary.errors, ...summary.warnings] : [];

  return (
    <section>
      <div className="bank-form">
        <label className="wide">
          {t.file}
          <input
            type="file"
            accept=".xlsx,.csv,.tsv,.txt,.json,.xml,.zip"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </label>
        <label>
          {t.category}
          <input
            value={category}
            maxLength={4}
            onChange={(e) => setCategory(e.target.value.toUpperCase().trim())}
            placeholder="N1"
          />
        </label>
        <label>
          {t.categoryName}
          <input value={categoryName} maxLength={50} onChange={(e) => setCategoryName(e.target.value)} />
        </label>
        <label>
          {t.pool}
          <select value={pool} onChange={(e) => setPool(e.target.value as typeof pool)}>
            <option value="">—</option>
            <option value="exam">{t.exam} exam</option>
            <option value="practice">{t.practice} practice</option>
          </select>
        </label>
        <label>
          {t.mode}
          <select value={mode} onChange={(e) => setMode(e.target.value as typeof mode)}>
            <option value="append">{t.append}</option>
            <option value="replace">{t.replace}</option>
          </select>
        </label>
        <label>
          {t.encoding}
          <select value={encoding} onChange={(e) => setEncoding(e.target.value as typeof encoding)}>
            <option value="utf-8">UTF-8</option>
            <option value="gb18030">GB18030 / GBK</option>
          </select>
        </label>
      </div>
      <div className="bank-buttons">
        <button disabled={busy} onClick={() => void start('validate')}>
          {t.validate}
        </button>
        <button className="primary" disabled={busy} onClick={() => void start('import')}>
          {t.import}
        </button>
      </div>
      {progress && (
        <div
          className="progress"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(pct)}
        >
          <div className="progress-bar">
            <div className="progress-fill" style={{ width: `${pct}%` }} />
          </div>
          <div className="progress-label">
            {t.phase[progress.phase] ?? progress.phase} · {Math.round(pct)}%
          </div>
        </div>
      )}
      {error && <p className="error">{error}</p>}
      {summary && (
        <>
          <div className={`bank-summary outcome-${summary.outcome}`}>
            <strong>{t.outcome[summary.outcome] ?? summary.outcome}</strong> — {summary.files.join(', ')} [
            {summary.formats.join(', ')}]
            <br />
            {t.importedN}: {summary.imported}（{t.type.judge} {summary.byType.judge} / {t.type.single}{' '}
            {summary.byType.single} / {t.type.multi} {summary.byType.multi}）· {t.skippedN}: {summary.skipped}
            {summary.version && (
              <>
                <br />
                {t.version} #{summary.version.id} · {summary.version.itemCount} {t.items} · {t.fingerprint}{' '}
                <code>{summary.version.fingerprint.slice(0, 16)}…</code>
              </>
            )}
          </div>
          <ProblemTable problems={problems} t={t} />
        </>
      )}
    </section>
  );
}
