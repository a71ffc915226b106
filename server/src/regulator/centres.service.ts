import { createPublicKey, verify } from 'node:crypto';
import type { Db } from '../db/open';
import type { CentreDetail, CentreRow, RegisterCentreInput } from '../protocol/regulator-admin';
import type { Clock } from '../shared/clock';
import { AppError, notFound } from '../shared/errors';
import { publicKeyFingerprint } from '../shared/institution-key';
import { signedPayloadValid } from '../shared/link-signing';
import type { AccountsRepo } from './accounts.repo';
import type { BansService } from './bans.service';
import { CentresRepo, type CentreRecord } from './centres.repo';
import type { RegulatorLink } from './link.service';
import type { LinkHandlerContext } from './regulator-deps';

/** An Ed25519 SPKI PEM, normalised; anything else is refused before it is pinned. */
export function ed25519PublicKeyPem(pem: string): string {
  let key;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new AppError('bad-public-key', 'not a PEM public key');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new AppError('bad-public-key', 'the key must be Ed25519');
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

/**
 * The registry of centres (issue 14): each registered with the fingerprint of its signing key, pinned; from then
 * on everything from it is verified against that key. A key change is a message signed by the old key and by the
 * new one; it repins and stays in the key history.
 */
export class CentresService {
  readonly repo: CentresRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly link: RegulatorLink,
    private readonly bans: BansService,
    private readonly accounts: AccountsRepo,
    /** H3's count of archives expected and never received, when the intake is wired. */
    private readonly missingArchives: (centreId: number) => number | null = () => null,
  ) {
    this.repo = new CentresRepo(db);
  }

  list(): CentreRow[] {
    return this.repo.list().map((c) => this.row(c));
  }

  detail(code: string): CentreDetail {
    const c = this.repo.byCode(code);
    if (!c) throw notFound('centre');
    return { ...this.row(c), publicKeyPem: c.publicKeyPem, keys: this.repo.keys(c.id) };
  }

  /** Pins the key, then queues centre.registered, the current ban list and every official's current grant. */
  register(input: RegisterCentreInput, actor: string): CentreDetail {
    const pem = ed25519PublicKeyPem(input.publicKeyPem);
    const fingerprint = publicKeyFingerprint(pem);
    this.db.transaction(() => {
      if (this.repo.byCode(input.code))
        throw new AppError('centre-exists', `centre ${input.code} is already registered`, 409);
      const other = this.repo.centreOfFingerprint(fingerprint);
      if (other) throw new AppError('key-in-use', `this key is (or was) pinned for centre ${other}`, 409);
      // Before the centre exists: a first (possibly empty) list published now is queued below, not twice.
      const list = this.bans.current();
      this.repo.insert({
        code: input.code,
        name: input.name,
        creditCode: input.creditCode ?? null,
        publicKeyPem: pem,
        fingerprint,
        at: this.clock.now(),
        by: actor,
      });
      const centre = this.repo.byCode(input.code) as CentreRecord;
      this.link.queue(centre, 'centre.registered', {
        centreCode: centre.code,
        name: centre.name,
        pinnedFingerprint: fingerprint,
      });
      this.link.queue(centre, 'bans.list', list.body);
      for (const grant of this.accounts.currentGrants()) this.link.queue(centre, 'official.grant', { grant });
    })();
    return this.detail(input.code);
  }

  /** centre.key-changed: the envelope verified with the old pinned key; the new key must sign its own PEM. */
  onKeyChanged(ctx: LinkHandlerContext<'centre.key-changed'>): void {
    const reject = (reason: string) =>
      this.link.log.append({
        at: ctx.receivedAt,
        via: ctx.via,
        centreCode: ctx.centre.code,
        seq: ctx.seq,
        type: 'centre.key-changed',
        outcome: 'refused',
        code: 'rejected',
        reason: `key change not applied: ${reason}`,
      });
    let pem: string;
    try {
      pem = ed25519PublicKeyPem(ctx.body.newPublicKeyPem);
    } catch {
      return reject('the new key is not an Ed25519 public key');
    }
    const signs =
      signedPayloadValid(ctx.body.newPublicKeyPem, ctx.body.newKeySignature, pem) ||
      signedRawValid(ctx.body.newPublicKeyPem, ctx.body.newKeySignature, pem);
    if (!signs) return reject("the new key's signature over itself does not verify");
    const fingerprint = publicKeyFingerprint(pem);
    const other = this.repo.centreOfFingerprint(fingerprint);
    if (other) return reject(`the new key is (or was) pinned for centre ${other}`);
    this.repo.repin(ctx.centre.id, pem, fingerprint, ctx.receivedAt, `link:${ctx.centre.code}#${ctx.seq}`);
  }

  private row(c: CentreRecord): CentreRow {
    return {
      id: c.id,
      code: c.code,
      name: c.name,
      creditCode: c.creditCode,
      fingerprint: c.fingerprint,
      registeredAt: c.registeredAt,
      lastContactAt: c.lastContactAt,
      lastContactVia: c.lastContactVia,
      pendingOut: this.link.pendingFor(c),
      ackedSeq: c.ackedSeq,
      receivedSeq: this.link.receivedFrom(c),
      missingArchives: this.missingArchives(c.id),
    };
  }
}

function signedRawValid(text: string, signature: string, pem: string): boolean {
  try {
    return verify(null, Buffer.from(text), createPublicKey(pem), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
