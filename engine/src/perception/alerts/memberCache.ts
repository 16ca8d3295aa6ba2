import type { IncidentMember } from './incidents.ts';

/**
 * The alerts of recently touched incidents, so that summarizing an incident after a batch does not re-read
 * all its alerts. The intake is the only writer of alerts, applies every change it writes here, and clears
 * the cache when a batch fails. The least recently touched incidents go first beyond `maxMembers`.
 */
export class IncidentMemberCache {
  private readonly incidents = new Map<string, Map<string, IncidentMember>>();
  /** alert key → the cached incident holding it. */
  private readonly owners = new Map<string, string>();
  private readonly maxMembers: number;

  constructor(maxMembers = 200_000) {
    this.maxMembers = maxMembers;
  }

  has(incidentId: string): boolean {
    return this.incidents.has(incidentId);
  }

  get memberCount(): number {
    return this.owners.size;
  }

  /** The incident's members, marking it recently used; undefined when not cached. */
  members(incidentId: string): ReadonlyMap<string, IncidentMember> | undefined {
    const members = this.incidents.get(incidentId);
    if (members !== undefined) {
      this.incidents.delete(incidentId);
      this.incidents.set(incidentId, members);
    }
    return members;
  }

  /** The cached member with this key and its incident. */
  find(key: string): { incidentId: string; member: IncidentMember } | undefined {
    const incidentId = this.owners.get(key);
    const member = incidentId === undefined ? undefined : this.incidents.get(incidentId)?.get(key);
    return incidentId === undefined || member === undefined ? undefined : { incidentId, member };
  }

  /** Caches an incident's members as read from the store (none for an incident that does not exist yet). */
  load(incidentId: string, members: readonly IncidentMember[]): void {
    this.drop(incidentId);
    const map = new Map<string, IncidentMember>();
    for (const member of members) {
      map.set(member.key, member);
      this.owners.set(member.key, incidentId);
    }
    this.incidents.set(incidentId, map);
  }

  /** Puts an alert (new, changed or moved) into a cached incident, taking it out of the one it was in. */
  put(member: IncidentMember, incidentId: string): void {
    const previous = this.owners.get(member.key);
    if (previous !== undefined && previous !== incidentId) {
      this.incidents.get(previous)?.delete(member.key);
    }
    const target = this.incidents.get(incidentId);
    if (target === undefined) {
      throw new Error(`incident ${incidentId} is not cached; load it before changing it`);
    }
    target.set(member.key, member);
    this.owners.set(member.key, incidentId);
  }

  /** Forgets the least recently touched incidents beyond the limit, except those in `keep`. */
  trim(keep: ReadonlySet<string>): void {
    for (const incidentId of [...this.incidents.keys()]) {
      if (this.owners.size <= this.maxMembers) {
        return;
      }
      if (!keep.has(incidentId)) {
        this.drop(incidentId);
      }
    }
  }

  drop(incidentId: string): void {
    const members = this.incidents.get(incidentId);
    if (members === undefined) {
      return;
    }
    for (const key of members.keys()) {
      if (this.owners.get(key) === incidentId) {
        this.owners.delete(key);
      }
    }
    this.incidents.delete(incidentId);
  }

  clear(): void {
    this.incidents.clear();
    this.owners.clear();
  }
}
