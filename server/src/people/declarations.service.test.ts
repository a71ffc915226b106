import { describe, expect, it } from 'vitest';
import type { DeclarationView } from '../protocol';
import { declarationRemovals } from './declarations.service';

// Issue 13 hole 9: what a staff member drops from a later declaration version, read across every version.

const version = (
  v: number,
  signedAt: number,
  parts: Partial<Pick<DeclarationView, 'relationships' | 'engagements'>> = {},
): DeclarationView => ({
  id: 100 + v,
  staffId: 7,
  version: v,
  statement: '…',
  bodyHash: `h${v}`,
  signedAt,
  relationships: [],
  engagements: [],
  ...parts,
});
const brother = (id: number) => ({
  id,
  kind: 'relative' as const,
  personIdNumber: '37010219850312451x',
  personName: '孙立伟',
  orgId: null,
  orgName: null,
  note: null,
});
const teaching = (id: number, to: string | null) => ({
  id,
  orgId: 2,
  orgName: '甲培训学校',
  from: '2025-03-01',
  to,
  note: null,
});

describe('declarationRemovals', () => {
  it('insider: a relationship or engagement dropped in a later version is listed until reviewed', () => {
    const versions = [
      version(1, 1_000, { relationships: [brother(1)], engagements: [teaching(1, null)] }),
      // Ending the engagement early is a change of the item: the open-ended one counts until reviewed.
      version(2, 2_000, { relationships: [], engagements: [teaching(2, '2025-04-01')] }),
    ];
    const removals = declarationRemovals(versions, [], 0);
    expect(removals.map((r) => [r.part, r.itemId, r.declaredInVersion, r.removedInVersion])).toEqual([
      ['relationship', 1, 1, 2],
      ['engagement', 1, 1, 2],
    ]);
    const reviewed = declarationRemovals(
      versions,
      [
        {
          staffId: 7,
          part: 'relationship',
          itemKey: removals[0]!.itemKey,
          itemId: 1,
          removedInDeclarationId: 102,
          reason: '核实无亲属关系',
          reviewedBy: 'staff:1',
          reviewedAt: 3_000,
        },
      ],
      0,
    );
    expect(reviewed.find((r) => r.part === 'relationship')?.review).toMatchObject({ reviewedBy: 'staff:1' });
    expect(reviewed.find((r) => r.part === 'engagement')?.review).toBeNull();
  });

  it('insider: a removal before the look-back, or an item declared again, is not a pending retraction', () => {
    const versions = [
      version(1, 1_000, { relationships: [brother(1)] }),
      version(2, 2_000, { relationships: [] }),
      version(3, 3_000, { relationships: [brother(3)] }),
    ];
    expect(declarationRemovals(versions, [], 0)).toEqual([]);
    const dropped = [version(1, 1_000, { relationships: [brother(1)] }), version(2, 2_000)];
    expect(declarationRemovals(dropped, [], 2_001)).toEqual([]);
    expect(declarationRemovals(dropped, [], 2_000)).toHaveLength(1);
  });

  it('matches a relative across versions by ID number whatever its case', () => {
    const upper = { ...brother(2), personIdNumber: '37010219850312451X' };
    expect(
      declarationRemovals(
        [version(1, 1, { relationships: [brother(1)] }), version(2, 2, { relationships: [upper] })],
        [],
        0,
      ),
    ).toEqual([]);
  });
});
