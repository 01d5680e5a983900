// RFC 3863: Presence Information Data Format (PIDF) — https://www.rfc-editor.org/rfc/rfc3863
// with RFC 4480 (RPID) activities and RFC 4479 <dm:person> for availability.
/**
 * PIDF documents to and from the {@link Presence} model.
 * @module
 */
import { parseAddress, type Address } from '../address.js';
import { CodecError } from '../errors.js';
import { makePresence, type Availability, type BasicStatus, type Note, type Presence, type Tuple } from '../presence.js';
import { formatDateTime, parseDateTime } from './datetime.js';
import { DM_NS, PIDF_NS, RPID_NS, imAvailability, isAvailabilityElement, rpidAvailability } from './pidf-rpid.js';
import { child, childrenOf, el, parseXml, serializeXml, textOf, type XmlElement, type XmlNode } from './xml.js';

/** A parsed PIDF document: the model, plus the extension elements it does not understand. */
export interface PidfDocument {
  readonly presence: Presence;
  /** Unknown extension elements, raw, in document order (RFC 3863 §4.1.5: ignored, not lost). */
  readonly extensions: readonly XmlElement[];
}

/** Options of {@link parsePidf}. */
export interface PidfOptions {
  /** The receiver's clock for the far-future timestamp check; default `Date.now()`. */
  now?: number;
}

const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/; // RFC 3863 §4.1.3 / RFC 3261 qvalue

function invalid(why: string, cause?: unknown): CodecError {
  return new CodecError('codec/invalid-pidf', `Not a valid PIDF document: ${why}.`, cause === undefined ? {} : { cause });
}

/**
 * Parses a PIDF document (RFC 3863) into a {@link Presence} and its unknown extensions.
 *
 * @throws {CodecError} any {@link parseXml} error; `codec/invalid-pidf` for a wrong or missing
 *   namespace, a missing or invalid `entity`, a tuple without `id`; `codec/must-understand`
 *   for an unknown element marked `mustUnderstand="true"` (RFC 3863 §4.1.5).
 * @example
 * ```ts
 * const { presence, extensions } = parsePidfDocument(xml);
 * presence.availability; // 'busy'
 * ```
 */
export function parsePidfDocument(xml: string, options: PidfOptions = {}): PidfDocument {
  const root = parseXml(xml);
  if (root.local !== 'presence' || root.ns !== PIDF_NS) {
    throw invalid(`the root element must be <presence xmlns="${PIDF_NS}">, not <${root.name}> in ${root.ns === undefined ? 'no namespace' : `"${root.ns}"`}`);
  }
  const entityText = root.attrs.entity;
  if (entityText === undefined) throw invalid('<presence> has no entity attribute');
  let entity: Address;
  try {
    entity = parseAddress(entityText);
  } catch (cause) {
    throw invalid(`the entity ${JSON.stringify(entityText.slice(0, 80))} is not an address`, cause);
  }
  const extensions: XmlElement[] = [];
  const keep = (e: XmlElement): void => {
    if (mustUnderstand(e)) {
      throw new CodecError('codec/must-understand', `The PIDF element <${e.name}> (${e.ns ?? 'no namespace'}) is marked mustUnderstand, and impp-kit does not understand it.`);
    }
    extensions.push(e);
  };
  const rootLang = langOf(root, undefined);
  const tuples: Tuple[] = [];
  const notes: Note[] = [];
  let timestamp: number | undefined;
  let personAvailability: Availability | undefined;
  let seenPerson = false;
  for (const c of childrenOf(root)) {
    if (c.ns === PIDF_NS && c.local === 'tuple') tuples.push(parseTuple(c, rootLang, options, keep));
    else if (c.ns === PIDF_NS && c.local === 'note') notes.push(note(c, rootLang));
    else if (c.ns === DM_NS && c.local === 'person' && !seenPerson) {
      seenPerson = true;
      // RFC 4479 §3.1: the person's activities apply to every service (tuple) it offers.
      personAvailability = rpidAvailability(c);
      const personLang = langOf(c, rootLang);
      for (const p of childrenOf(c)) {
        if (p.ns === DM_NS && p.local === 'note') notes.push(note(p, personLang));
        else if (p.ns === DM_NS && p.local === 'timestamp') timestamp ??= parseDateTime(textOf(p), options);
        else if (!isAvailabilityElement(p)) keep(p);
      }
    } else keep(c);
  }
  const withPerson =
    personAvailability === undefined
      ? tuples
      : tuples.map((t) => (t.availability === undefined && t.status !== 'closed' ? { ...t, availability: personAvailability } : t));
  return { presence: makePresence(entity, withPerson, notes, timestamp), extensions };
}

/**
 * Parses a PIDF document (RFC 3863) into a {@link Presence}; unknown extensions are ignored.
 * A document with no tuple is `offline`; `<basic>` other than open/closed is `unknown`;
 * a bad or far-future `<timestamp>` is left out.
 *
 * @throws {CodecError} as {@link parsePidfDocument}.
 * @example
 * ```ts
 * parsePidf('<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="pres:a@example.com"/>').availability; // 'offline'
 * ```
 */
export function parsePidf(xml: string, options: PidfOptions = {}): Presence {
  return parsePidfDocument(xml, options).presence;
}

function parseTuple(t: XmlElement, inherited: string | undefined, options: PidfOptions, keep: (e: XmlElement) => void): Tuple {
  const id = t.attrs.id;
  if (id === undefined || id === '') throw invalid('a <tuple> has no id attribute');
  const lang = langOf(t, inherited);
  let status: BasicStatus = 'unknown';
  let availability = rpidAvailability(t);
  let contact: string | undefined;
  let priority: number | undefined;
  let timestamp: number | undefined;
  let seenStatus = false;
  const notes: Note[] = [];
  for (const c of childrenOf(t)) {
    if (c.ns === PIDF_NS && c.local === 'status' && !seenStatus) {
      seenStatus = true;
      // RFC 3863 §4.1.4: open or closed; anything else we cannot interpret (BAD-INPUTS #18).
      const basic = textOf(child(c, 'basic', PIDF_NS)).trim();
      if (basic === 'open' || basic === 'closed') status = basic;
      availability = rpidAvailability(c) ?? imAvailability(c) ?? availability;
      for (const s of childrenOf(c)) if (!(s.ns === PIDF_NS && s.local === 'basic') && !isAvailabilityElement(s)) keep(s);
    } else if (c.ns === PIDF_NS && c.local === 'contact' && contact === undefined) {
      contact = textOf(c).trim() || undefined;
      const q = c.attrs.priority?.trim();
      priority = q !== undefined && QVALUE.test(q) ? Number(q) : undefined;
    } else if (c.ns === PIDF_NS && c.local === 'note') {
      notes.push(note(c, lang));
    } else if (c.ns === PIDF_NS && c.local === 'timestamp') {
      timestamp ??= parseDateTime(textOf(c), options); // RFC 3863 §4.1.7; BAD-INPUTS #12
    } else if (!isAvailabilityElement(c)) {
      keep(c);
    }
  }
  return compact({ id, status, availability, contact, priority: contact === undefined ? undefined : priority, notes, timestamp }) as Tuple;
}

function note(e: XmlElement, inherited: string | undefined): Note {
  const lang = langOf(e, inherited);
  return lang === undefined ? { text: textOf(e) } : { text: textOf(e), lang };
}

/** XML 1.0 §2.12: xml:lang is inherited; an empty value means "no language". */
function langOf(e: XmlElement, inherited: string | undefined): string | undefined {
  const own = e.attrs['xml:lang'];
  return own === undefined ? inherited : own.trim() || undefined;
}

function mustUnderstand(e: XmlElement): boolean {
  for (const [k, v] of Object.entries(e.attrs)) {
    if ((k === 'mustUnderstand' || k.endsWith(':mustUnderstand')) && (v.trim() === 'true' || v.trim() === '1')) return true;
  }
  return false;
}

function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/**
 * Serializes a {@link Presence} as a PIDF document. Tuple availability `away`/`busy` becomes an
 * RPID activity inside `<status>`; the presence timestamp goes into `<dm:person>`. All text is
 * escaped; `parsePidf(serializePidf(p))` gives back what `parsePidf` produced.
 *
 * @throws {CodecError} `codec/invalid-pidf` for a tuple with an empty id.
 * @example
 * ```ts
 * serializePidf(makePresence(parseAddress('pres:alice@example.com'),
 *   [{ id: 'pc', status: 'open', availability: 'busy', notes: [] }]));
 * ```
 */
export function serializePidf(p: Presence): string {
  let rpid = false;
  const tuples = p.tuples.map((t) => {
    if (t.id === '') throw invalid('a tuple has an empty id');
    const activity = t.availability === 'away' || t.availability === 'busy' ? t.availability : undefined;
    rpid ||= activity !== undefined;
    const priority = t.priority !== undefined && t.priority >= 0 && t.priority <= 1 ? String(Math.round(t.priority * 1000) / 1000) : undefined;
    return el(
      'tuple',
      { id: t.id },
      el('status', {}, t.status !== 'unknown' && el('basic', {}, t.status), activity && el('rpid:activities', {}, el(`rpid:${activity}`))),
      t.contact !== undefined && el('contact', { priority }, t.contact),
      ...t.notes.map((n) => noteEl(n)),
      isTime(t.timestamp) && el('timestamp', {}, formatDateTime(t.timestamp)),
    );
  });
  const person: XmlNode | false = isTime(p.timestamp) && el('dm:person', { id: 'p' }, el('dm:timestamp', {}, formatDateTime(p.timestamp)));
  const root = el(
    'presence',
    { xmlns: PIDF_NS, 'xmlns:rpid': rpid ? RPID_NS : undefined, 'xmlns:dm': person ? DM_NS : undefined, entity: p.entity.toString() },
    ...tuples,
    ...p.notes.map((n) => noteEl(n)),
    person,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serializeXml(root)}`;
}

function noteEl(n: Note): XmlElement {
  return el('note', { 'xml:lang': n.lang }, n.text);
}

function isTime(ms: number | undefined): ms is number {
  return typeof ms === 'number' && Number.isFinite(ms) && Math.abs(ms) <= 8.64e15;
}
