// JSON twins of the golden fixtures: the parsed model with every Address as its string form.
import { parseAddress } from '../../../src/core/address.js';
import type { CpimAddress, CpimMessage } from '../../../src/core/codecs/cpim.js';
import { makePresence, type Presence, type Tuple } from '../../../src/core/presence.js';

/** A JSON-safe copy: Addresses become strings, undefined properties disappear. */
export function toJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && 'id' in v && 'scheme' in v && 'domain' in v ? String(v) : v));
}

interface PresenceJson { entity: string; tuples: Tuple[]; notes: Presence['notes']; timestamp?: number }

/** The Presence a JSON twin describes (availability re-derived by makePresence). */
export function presenceFromJson(json: PresenceJson): Presence {
  return makePresence(parseAddress(json.entity), json.tuples, json.notes, json.timestamp);
}

type CpimAddressJson = { name?: string; address: string };
type CpimJson = Omit<CpimMessage, 'from' | 'to' | 'cc'> & { from: CpimAddressJson; to: CpimAddressJson[]; cc: CpimAddressJson[] };

/** The CpimMessage a JSON twin describes. */
export function cpimFromJson(json: CpimJson): CpimMessage {
  const addr = (a: CpimAddressJson): CpimAddress => ({ ...a, address: parseAddress(a.address) });
  return { ...json, from: addr(json.from), to: json.to.map(addr), cc: json.cc.map(addr) };
}
