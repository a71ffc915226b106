import type { AuditEvent, EventPage, EventPerson } from '../protocol';
import type { AuditQueryRepo, EventFilter } from './audit-query.repo';

/**
 * One page of a chain as officials read it (issue 16): the events, how many match in all, and who every
 * actor every staff member and candidate named in a payload is — the screen shows "王建国（主考）", never `staff:3`.
 */
export function eventPage(query: AuditQueryRepo, filter: EventFilter): EventPage {
  const events: AuditEvent[] = query.find(filter).map((e) => ({
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    type: e.type,
    payload: e.payload,
    prevHash: e.prevHash,
    hash: e.hash,
  }));
  return {
    chain: filter.chain,
    events,
    nextAfterSeq: events.length === filter.limit ? (events.at(-1)?.seq ?? null) : null,
    total: query.count(filter),
    people: peopleOf(query, events),
  };
}

function peopleOf(query: AuditQueryRepo, events: AuditEvent[]): Record<string, EventPerson> {
  const people: Record<string, EventPerson> = {};
  const staffKeys = new Set<string>();
  const registrationIds = new Set<number>();
  for (const e of events) {
    const [kind, id = ''] = splitActor(e.actor);
    if (kind === 'staff') staffKeys.add(id);
    else if (kind === 'candidate' && /^\d+$/.test(id)) registrationIds.add(Number(id));
    else if (kind === 'system') people[e.actor] = { kind: 'system', name: id };
    const named = e.payload.registrationId;
    if (typeof named === 'number' && Number.isSafeInteger(named)) registrationIds.add(named);
    const staffId = e.payload.staffId;
    if (typeof staffId === 'number' && Number.isSafeInteger(staffId)) staffKeys.add(String(staffId));
    // papers.opened names its two custodians.
    const custodians = e.payload.custodians;
    if (Array.isArray(custodians))
      for (const c of custodians as { staffId?: unknown }[])
        if (typeof c.staffId === 'number' && Number.isSafeInteger(c.staffId)) staffKeys.add(String(c.staffId));
  }
  for (const s of query.staffNames([...staffKeys]))
    people[`staff:${s.key}`] = { kind: 'staff', name: s.name, roles: JSON.parse(s.roles) as string[] };
  for (const r of query.registrations([...registrationIds]))
    people[`candidate:${r.id}`] = { kind: 'candidate', name: r.name, seatNo: r.seatNo, admissionNo: r.admissionNo };
  return people;
}

const splitActor = (actor: string): [string, string?] => {
  const i = actor.indexOf(':');
  return i < 0 ? [actor] : [actor.slice(0, i), actor.slice(i + 1)];
};
