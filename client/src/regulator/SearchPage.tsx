import { useState, type FormEvent } from 'react';
import type { CentreRow } from '../../../server/src/protocol/regulator-admin';
import type { RegulatorSearchResult } from '../../../server/src/protocol/regulator-view';
import { useT } from '../i18n';
import { useApi } from '../staff/use-api';
import type { RegCtx } from './reg-auth';
import { centreRef } from './reg-text';
import { navigate } from './reg-route';
import { SittingsTable } from './SittingsTable';

const FIELDS = ['idNumber', 'name', 'centre', 'category', 'from', 'to'] as const;
type Field = (typeof FIELDS)[number];

/** Search over every centre: the filters live in the address, so Back returns to the same results. */
export function SearchPage({ ctx, query }: { ctx: RegCtx; query: URLSearchParams }) {
  const { t } = useT();
  const initial = Object.fromEntries(FIELDS.map((f) => [f, query.get(f) ?? ''])) as Record<Field, string>;
  const [form, setForm] = useState(initial);
  const centres = useApi<CentreRow[]>('/centres', ctx.token, ctx.onExpired);
  const asked = new URLSearchParams(FIELDS.filter((f) => initial[f]).map((f) => [f, initial[f]]));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const q = new URLSearchParams(FIELDS.filter((f) => form[f].trim()).map((f) => [f, form[f].trim()]));
    navigate(`/search?${q.toString()}`);
  };
  const input = (f: Field, type = 'text') => (
    <label>
      {t(`regulator.search.${f}`)}
      <input name={f} type={type} value={form[f]} onChange={(e) => setForm({ ...form, [f]: e.target.value })} />
    </label>
  );
  return (
    <div className="stack">
      <form className="panel search-form" onSubmit={submit} data-testid="search-form">
        <h1>{t('regulator.search.title')}</h1>
        <p className="meta">{t('regulator.search.hint')}</p>
        <div className="fields">
          {input('idNumber')}
          {input('name')}
          <label>
            {t('regulator.search.centre')}
            <select name="centre" value={form.centre} onChange={(e) => setForm({ ...form, centre: e.target.value })}>
              <option value="">{t('regulator.search.allCentres')}</option>
              {(centres.data ?? []).map((c) => (
                <option key={c.code} value={c.code}>
                  {centreRef(c)}
                </option>
              ))}
            </select>
          </label>
          {input('category')}
          {input('from', 'date')}
          {input('to', 'date')}
        </div>
        <div className="action-bar">
          <button className="primary" type="submit">
            {t('regulator.search.submit')}
          </button>
        </div>
      </form>
      {asked.size > 0 && <Results ctx={ctx} q={asked.toString()} />}
    </div>
  );
}

function Results({ ctx, q }: { ctx: RegCtx; q: string }) {
  const { t } = useT();
  const res = useApi<RegulatorSearchResult>(`/search?${q}`, ctx.token, ctx.onExpired);
  if (res.error) return <p className="error">{res.error}</p>;
  if (!res.data) return <p className="meta">{t('common.loading')}</p>;
  const centres = new Set(res.data.rows.map((r) => r.centre.code)).size;
  return (
    <section className="panel" data-testid="search-results">
      <h2>
        {t('regulator.search.results', { n: res.data.rows.length, centres })}
        {res.data.truncated && <small className="meta"> {t('regulator.search.truncated')}</small>}
      </h2>
      {res.data.rows.length === 0 ? (
        <p className="meta">{t('regulator.search.none')}</p>
      ) : (
        <SittingsTable rows={res.data.rows} />
      )}
    </section>
  );
}
