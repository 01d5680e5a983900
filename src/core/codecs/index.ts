/**
 * The pure codecs: XML (restricted, RFC 6120 §11.1), PIDF (RFC 3863 + RFC 4480 RPID) and
 * Message/CPIM (RFC 3862). No sockets, no RxJS. Subpath export `impp-kit/codecs`.
 * @module
 */
export { CodecError } from '../errors.js';
export {
  child,
  childrenOf,
  el,
  escapeXmlAttr,
  escapeXmlText,
  parseXml,
  serializeXml,
  textOf,
  type XmlElement,
  type XmlLimits,
  type XmlNode,
} from './xml.js';
export { parsePidf, parsePidfDocument, serializePidf, type PidfDocument, type PidfOptions } from './pidf.js';
export { DM_NS, PIDF_IM_NS, PIDF_NS, RPID_NS } from './pidf-rpid.js';
export {
  parseCpim,
  serializeCpim,
  type CpimAddress,
  type CpimMessage,
  type CpimParseOptions,
  type CpimSerializeOptions,
} from './cpim.js';
export { formatDateTime, parseDateTime, type DateTimeOptions } from './datetime.js';
