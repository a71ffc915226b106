import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CENTRE_TO_REGULATOR, REGULATOR_PARTY, type LinkMessage, type SignedLinkMessage } from '../protocol/regulator';
import {
  judgeLinkMessage,
  linkMessageHash,
  privateKeySigner,
  signLinkMessage,
  type ChannelState,
} from './link-signing';

const centre = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const signer = privateKeySigner(centre.privateKey);

const notice = (seq: number, extra: Partial<LinkMessage> = {}): LinkMessage => ({
  v: 1,
  kind: 'exam-center.link-message',
  from: 'SX-01',
  to: REGULATOR_PARTY,
  seq,
  sentAt: 1_700_000_000_000 + seq,
  type: 'stale-list.exception',
  body: { sessionCode: 'S1', reason: '链路中断', recordedBy: '张主考', listVersion: 3, listAsOf: 1_700_000_000_000 },
  ...extra,
});

function channel(applied: SignedLinkMessage[]): ChannelState {
  return {
    lastSeq: applied.length,
    hashAt: (seq) => (applied[seq - 1] ? linkMessageHash(applied[seq - 1]!) : null),
  };
}

const judge = (raw: unknown, applied: SignedLinkMessage[] = []) =>
  judgeLinkMessage(raw, {
    me: REGULATOR_PARTY,
    expectedFrom: 'SX-01',
    senderKey: centre.publicKey,
    allowedTypes: CENTRE_TO_REGULATOR,
    channel: channel(applied),
  }).outcome;

describe('judging a link message (both ends use this one rule)', () => {
  const first = signLinkMessage(notice(1), signer);

  it('applies the next message in order, signed by the pinned key', () => {
    expect(judge(first)).toEqual({ seq: 1, status: 'applied' });
  });

  it('treats the same message again as a harmless duplicate', () => {
    expect(judge(first, [first])).toEqual({ seq: 1, status: 'duplicate' });
  });

  it('refuses a different message under a number already used (a replay)', () => {
    const forged = signLinkMessage(notice(1, { sentAt: 1 }), signer);
    expect(judge(forged, [first])).toMatchObject({ status: 'refused', code: 'replayed' });
  });

  it('refuses a message that skips a number', () => {
    expect(judge(signLinkMessage(notice(3), signer), [first])).toMatchObject({
      status: 'refused',
      code: 'out-of-order',
    });
  });

  it('refuses a message signed by another key, even one whose own key would verify it', () => {
    expect(judge(signLinkMessage(notice(1), privateKeySigner(other.privateKey)))).toMatchObject({
      status: 'refused',
      code: 'bad-signature',
    });
  });

  it('refuses a tampered body', () => {
    const tampered = {
      ...first,
      message: { ...first.message, body: { ...(first.message.body as object), reason: 'x' } },
    };
    expect(judge(tampered)).toMatchObject({ status: 'refused', code: 'bad-signature' });
  });

  it('refuses a message for another recipient or from another sender', () => {
    expect(judge(signLinkMessage(notice(1, { to: 'SX-02' }), signer))).toMatchObject({ code: 'wrong-recipient' });
    expect(judge(signLinkMessage(notice(1, { from: 'SX-02' }), signer))).toMatchObject({ code: 'unknown-sender' });
  });

  it('refuses a type that only the regulator may send', () => {
    const m = notice(1, { type: 'bans.list', body: { version: 1, issuedAt: 1, records: [] } });
    expect(judge(signLinkMessage(m, signer))).toMatchObject({ code: 'wrong-direction' });
  });

  it('refuses a body that does not match its type, naming the field', () => {
    const m = notice(1, { body: { sessionCode: 'S1' } });
    const out = judge(signLinkMessage(m, signer));
    expect(out).toMatchObject({ status: 'refused', code: 'malformed' });
    expect(out.status === 'refused' && out.reason).toContain('reason');
  });

  it('refuses what is not a message at all', () => {
    expect(judge({ hello: 1 })).toMatchObject({ status: 'refused', code: 'malformed', seq: 0 });
  });
});
