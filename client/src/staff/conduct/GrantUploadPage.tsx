import { useState } from 'react';
import { useCall, useL, type Ctx } from './conduct-common';

/**
 * An admin installs a grant file signed by the regulator (create / new password / disable an official).
 * The admin only carries the file: the server accepts it only if the regulator's key signed it (README "Officials' accounts").
 */
export function GrantUploadPage({ ctx }: { ctx: Ctx }) {
  const L = useL();
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const call = useCall(ctx, setError);
  const install = async (file: File) => {
    setDone(null);
    let body: unknown;
    try {
      body = JSON.parse(await file.text()) as unknown;
    } catch {
      setError(L('不是有效的授权文件（JSON）', 'not a grant file (JSON)'));
      return;
    }
    const r = await call<{ username: string; action: string }>('/officials/grants', body);
    if (r) setDone(`${r.action} · ${r.username}`);
  };
  return (
    <section className="panel">
      <h1>{L('监管人员账号授权', 'Officials’ account grants')}</h1>
      <p className="meta">
        {L(
          '监管人员账号只能由监管部门签发的授权文件创建、改密或停用；考试机构只负责导入，无法自行创建或修改。',
          'Officials’ accounts are created, re-passworded or disabled only by grant files signed by the regulator; the institution can install them but not make or change them.',
        )}
      </p>
      <label className="upload">
        {L('导入授权文件（grant.json）', 'Install a grant file (grant.json)')}
        <input
          type="file"
          accept="application/json,.json"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void install(f);
          }}
        />
      </label>
      {done && (
        <p className="ok">
          {L('已导入：', 'Installed: ')}
          {done}
        </p>
      )}
      {error && <p className="error">{error}</p>}
    </section>
  );
}
