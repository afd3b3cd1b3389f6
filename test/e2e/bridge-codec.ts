/**
 * Typed arrays across the Playwright bridge. Playwright serialises arguments and results as JSON-like
 * values, so each typed array travels as `{ __atelierTyped: 'Float32Array', base64 }`.
 *
 * The codec is written once, as source text, because it must run in two worlds: here in Node
 * (evaluated below) and in the page (injected by the harness's init script).
 */
export const CODEC_SOURCE = String.raw`
const TYPED = {
  Uint8Array, Uint8ClampedArray, Int8Array, Uint16Array, Int16Array,
  Uint32Array, Int32Array, Float32Array, Float64Array
};
function bytesToBase64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
function base64ToBytes(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
function encode(value) {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const type = value.constructor.name;
    if (!(type in TYPED)) throw new TypeError('cannot send a ' + type + ' over the bridge');
    const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    return { __atelierTyped: type, base64: bytesToBase64(bytes) };
  }
  if (Array.isArray(value)) return value.map(encode);
  if (value !== null && typeof value === 'object') {
    const out = {};
    for (const key of Object.keys(value)) out[key] = encode(value[key]);
    return out;
  }
  return value;
}
function decode(value) {
  if (Array.isArray(value)) return value.map(decode);
  if (value !== null && typeof value === 'object') {
    if (typeof value.__atelierTyped === 'string' && typeof value.base64 === 'string') {
      const Ctor = TYPED[value.__atelierTyped];
      if (!Ctor) throw new TypeError('unknown typed array ' + value.__atelierTyped);
      const bytes = base64ToBytes(value.base64);
      return new Ctor(bytes.buffer, 0, bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
    }
    const out = {};
    for (const key of Object.keys(value)) out[key] = decode(value[key]);
    return out;
  }
  return value;
}
`

/** Encodes/decodes values for the bridge; the same code runs in the page. */
export interface BridgeCodec {
  encode(value: unknown): unknown
  decode(value: unknown): unknown
}

export const codec: BridgeCodec = new Function(`${CODEC_SOURCE}; return { encode, decode };`)() as BridgeCodec
