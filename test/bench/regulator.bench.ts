import { createPublicKey } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { buildArchive, type ArchiveContent } from '../../server/src/audit/archive.build';
import { simulatePastSession } from '../../server/src/demo/past-session';
import { dayOf } from '../../server/src/integrity/dates';
import { search } from '../../server/src/regulator/intake/view.service';
import { sha256Hex } from '../../server/src/shared/canonical-json';
import {
  centreMessage,
  exchangeRequest,
  startTestRegulator,
  testCentre,
  type TestCentre,
} from '../support/regulator-server';
import { startTestServer } from '../support/test-server';
import type { Figure } from './figure';
import { percentile, round1, sized } from './inputs';

const ARCHIVES = sized('BENCH_REGULATOR_ARCHIVES', 1000, 2);
const CANDIDATES = sized('BENCH_REGULATOR_CANDIDATES', 200, 12);
const RESULTS = sized('BENCH_REGULATOR_RESULTS', 1_000_000, 10_000);
const SEARCHES = 2000;

/** A distinct 18-character ID number per (archive, seat): every archive brings people of its own. */
const idNumberOf = (n: number) => {
  const body = `110101${String(19_700_101 + (n % 300_000)).slice(0, 8)}${String(Math.floor(n / 300_000) % 1000).padStart(3, '0')}`;
  return `${body}X`;
};

/**
 * One real graded session's content, built into `ARCHIVES` distinct, validly signed archives: each variant gets
 * its own session code and its own candidates' ID numbers in the roster (neither is covered by any proof the
 * verifier recomputes from the chain), so the regulator indexes ARCHIVES × CANDIDATES distinct sittings.
 */
function variant(content: ArchiveContent, i: number): ArchiveContent {
  const code = `${content.session.code}-V${String(i).padStart(4, '0')}`;
  return {
    ...content,
    session: { ...content.session, code, row: { ...content.session.row, code } },
    roster: content.roster.map((r, k) => ({ ...r, id_number: idNumberOf(i * 1000 + k) })),
  };
}

/**
 * regulator-intake-1000-archives-s (issue 14): ARCHIVES archives of CANDIDATES candidates each, every one sent as
 * an `archive.submitted` message through the regulator's link exchange (RegulatorLink.exchange, what POST
 * /api/link/exchange runs after parsing JSON): message signature and seq judged, bytes re-hashed, the archive
 * verified against the centre's pinned key WITH the regulator's X25519 key (so papers are re-derived and every
 * score recomputed), stored under <regdata>/archives/, indexed, cross-centre checks run. Building the archives is
 * setup, not timed. Baseline in the same run: verifyArchive alone on the same bytes (the floor: intake adds the
 * storage, index and checks).
 *
 * regulator-search-p99-ms: search by ID number (view.service search, what GET /api/search and `regulator search`
 * run) over RESULTS indexed sittings; baseline: a bare indexed SELECT of the sitting ids by id_number.
 */
export async function run(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const centre = await startTestServer();
  const reg = await startTestRegulator();
  try {
    const sessionId = simulatePastSession(centre.app, centre.db, { now: () => Date.now() }, CANDIDATES);
    const content = centre.app.services.archives.collect(sessionId);
    content.regulatorKey = createPublicKey(reg.keys.encPublicKeyPem);
    const key = centre.app.keys.institution;
    const a: TestCentre = {
      code: 'BENCH-A',
      publicKey: key.publicKey,
      publicKeyPem: key.publicKeyPem,
      signer: key,
      seq: 0,
    };
    reg.app.services.centres.register({ code: a.code, name: '基准考点', publicKeyPem: a.publicKeyPem }, 'bench');

    const tb = performance.now();
    const archives: Uint8Array[] = [];
    for (let i = 0; i < ARCHIVES; i++) archives.push(buildArchive(variant(content, i), key, Date.now(), 'bench').bytes);
    const buildS = (performance.now() - tb) / 1000;

    // Baseline: the verifier alone on the first few archives, scaled to all of them.
    const { verifyArchive } = await import('../../server/src/audit/archive.verify');
    const sample = Math.min(ARCHIVES, 5);
    const tv = performance.now();
    for (let i = 0; i < sample; i++)
      if (!verifyArchive(archives[i]!, key.publicKeyPem, { regulatorKey: reg.keys.encPrivatePem }).ok)
        throw new Error('bench: a variant archive does not verify');
    const verifyOnlyS = ((performance.now() - tv) / 1000) * (ARCHIVES / sample);

    let bytesTotal = 0;
    const t0 = performance.now();
    for (let i = 0; i < ARCHIVES; i++) {
      const bytes = archives[i]!;
      bytesTotal += bytes.byteLength;
      const msg = centreMessage(a, 'archive.submitted', {
        sessionCode: `${content.session.code}-V${String(i).padStart(4, '0')}`,
        fileName: `v${i}.zip`,
        sha256: sha256Hex(Buffer.from(bytes)),
        bytes: Buffer.from(bytes).toString('base64'),
      });
      const out = reg.app.services.link.exchange(exchangeRequest(a, [msg], {}));
      if (out.outcomes[0]?.status !== 'applied') throw new Error(`bench: archive ${i} ${JSON.stringify(out.outcomes)}`);
      archives[i] = new Uint8Array(0); // let the memory go
    }
    const intakeS = (performance.now() - t0) / 1000;
    const statuses = reg.db.prepare('SELECT status, COUNT(*) AS n FROM reg_archives GROUP BY status').all() as {
      status: string;
      n: number;
    }[];
    if (statuses.some((s) => s.status !== 'VALID'))
      throw new Error(`bench: not all VALID: ${JSON.stringify(statuses)}`);
    figures.push({
      name: 'regulator-intake-1000-archives-s',
      value: round1(intakeS),
      unit: 's',
      baseline: round1(verifyOnlyS),
      ratio: Math.round((intakeS / verifyOnlyS) * 100) / 100,
      extra: {
        archives: ARCHIVES,
        candidatesPerArchive: CANDIDATES,
        scaledFrom: '1000 archives × 200 candidates (BENCH_SCALE / BENCH_REGULATOR_ARCHIVES / _CANDIDATES)',
        mbTotal: Math.round(bytesTotal / 2 ** 20),
        perArchiveMs: Math.round((intakeS * 1000) / ARCHIVES),
        measured:
          'RegulatorLink.exchange with one signed archive.submitted message each: judge, re-hash, verifyArchive with the pinned key and the regulator X25519 key, store file, index sittings/results/anomalies, cross-centre checks',
        baselineIs: `verifyArchive alone (pinned key + regulator key) on ${sample} of the same archives, scaled to ${ARCHIVES}`,
        setupBuildS: round1(buildS),
        setupIs: 'one real graded session (simulatePastSession) collected once, built with buildArchive per variant',
      },
    });

    // Search: RESULTS sittings across 100 centres, 200 per session, people sitting 1–3 times.
    const db = reg.db;
    const centres: number[] = [];
    for (let c = 0; c < 100; c++)
      centres.push(
        reg.app.services.centres.register(
          { code: `S-${String(c).padStart(3, '0')}`, name: `考点 ${c}`, publicKeyPem: testCentre('X-0').publicKeyPem },
          'bench',
        ).id,
      );
    const insSession = db.prepare(
      `INSERT INTO reg_sessions (centre_id, session_code, category, state, scheduled_start, scheduled_end, exam_date)
       VALUES (?, ?, 'A', 'archived', ?, ?, ?)`,
    );
    const insSitting = db.prepare(
      `INSERT INTO reg_sittings (session_id, centre_id, id_number, name, category, exam_date, score, max_score, passed)
       VALUES (?, ?, ?, ?, 'A', ?, ?, 100, ?)`,
    );
    const people = Math.ceil(RESULTS / 2);
    const t1 = performance.now();
    const start = Date.UTC(2024, 0, 1);
    for (let s = 0, done = 0; done < RESULTS; s++)
      db.transaction(() => {
        const centreId = centres[s % centres.length]!;
        const at = start + s * 3_600_000;
        const sid = Number(insSession.run(centreId, `Q-${s}`, at, at + 5_400_000, dayOf(at)).lastInsertRowid);
        for (let k = 0; k < 200 && done < RESULTS; k++, done++) {
          const p = (done * 7919) % people; // each person sits about twice, at different centres
          const score = (p * 37 + s) % 100;
          insSitting.run(sid, centreId, idNumberOf(5_000_000 + p), `考生${p}`, dayOf(at), score, score >= 60 ? 1 : 0);
        }
      })();
    const loadS = (performance.now() - t1) / 1000;
    db.exec('ANALYZE');
    const bare = db.prepare('SELECT id FROM reg_sittings WHERE id_number = ?');
    const times: number[] = [];
    const bareTimes: number[] = [];
    let found = 0;
    for (let i = 0; i < SEARCHES; i++) {
      const idNumber = idNumberOf(5_000_000 + ((i * 104_729) % people));
      const tb0 = performance.now();
      bare.all(idNumber);
      bareTimes.push(performance.now() - tb0);
      const ts0 = performance.now();
      found += search(db, { idNumber }).rows.length;
      times.push(performance.now() - ts0);
    }
    times.sort((x, y) => x - y);
    bareTimes.sort((x, y) => x - y);
    const p99 = percentile(times, 99);
    const bareP99 = percentile(bareTimes, 99);
    if (!found) throw new Error('bench: search found nothing');
    figures.push({
      name: 'regulator-search-p99-ms',
      value: Math.round(p99 * 100) / 100,
      unit: 'ms',
      baseline: Math.round(bareP99 * 100) / 100,
      ratio: Math.round((p99 / Math.max(bareP99, 0.001)) * 10) / 10,
      target: 50,
      extra: {
        results: RESULTS,
        people,
        centres: centres.length + 1,
        searches: SEARCHES,
        p50Ms: Math.round(percentile(times, 50) * 100) / 100,
        rowsPerSearch: round1(found / SEARCHES),
        loadS: round1(loadS),
        measured: 'view.service search({ idNumber }) (GET /api/search and `regulator search` run it), in process',
        baselineIs: 'bare SELECT id FROM reg_sittings WHERE id_number = ? on the same index',
      },
    });
  } finally {
    await reg.stop();
    await centre.stop();
  }
  return figures;
}
