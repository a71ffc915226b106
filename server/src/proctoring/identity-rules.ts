import type { IdCardCheck, IdentityBasis, IdentityState } from '../protocol';
import { AppError } from '../shared/errors';

/**
 * What a pass (or an examiner's override) rests on (issue 13, hole 15). With a registered photo, that photo;
 * without one, a pass against nothing is refused: the proctor records the number read from the ID card, which
 * must match the registration, and that the card's photo was compared with the person.
 */
export function identityBasis(
  r: { photo: string | null; idNumber: string },
  outcome: 'pass' | 'fail' | 'override',
  idCard: IdCardCheck | undefined,
): { basis: IdentityBasis } | null {
  if (outcome === 'fail') return null;
  if (r.photo && !idCard) return { basis: 'photo' };
  if (!idCard || !idCard.photoCompared)
    throw new AppError(
      'id-card-check-required',
      '考生无登记照片：须读取身份证号码并核对身份证照片与本人 / no registered photo: read the ID card number and compare its photo',
      400,
    );
  if (idCard.number.trim().toUpperCase() !== r.idNumber.trim().toUpperCase())
    throw new AppError(
      'id-card-mismatch',
      '身份证号码与报名信息不符 / the ID card number does not match the registration',
      409,
    );
  return { basis: r.photo ? 'photo' : 'id-card' };
}

export function stateOf(
  facts: { failures: number; lastOutcome: string } | undefined,
  failuresToLock: number,
): IdentityState {
  if (!facts) return 'unchecked';
  if (facts.failures >= failuresToLock) return 'locked';
  if (facts.lastOutcome === 'fail') return 'failed';
  return 'passed';
}
