/**
 * A small schema-driven codec for Kafka request and response bodies. Each message is described as
 * a list of fields with the versions they exist in (the protocol's message definitions, transcribed
 * by hand); one encoder and one decoder then handle every version, including the flexible
 * (compact strings/arrays, tagged fields) encoding.
 */
import { ProtocolError } from './errors';
import type { Reader } from './reader';
import type { Writer } from './writer';

/** A scalar wire type. `records` is a nullable byte blob holding record batches. */
type Scalar =
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'float64'
  | 'bool'
  | 'string'
  | 'bytes'
  | 'records'
  | 'uuid';

/** A field's type: a scalar, an array of scalars, or an array of structs. */
export type FieldType = Scalar | `${Scalar}[]` | readonly Field[];

/** One field of a message or struct. */
export interface Field {
  readonly name: string;
  readonly type: FieldType;
  readonly min: number;
  readonly max: number;
  readonly nullableFrom: number;
}

/** A decoded struct: field names to values (int64 as bigint, bytes as Buffer, arrays as arrays). */
export type Struct = Record<string, unknown>;

declare const bodies: unique symbol;

/**
 * One API: its key, the versions this broker serves, where the flexible encoding starts, and its bodies.
 * `Req` and `Res` are the decoded request and response bodies' types (declared next to each schema in
 * messages/); they exist only for the type checker ({@link encodeRequest} and the other typed codec
 * functions take and return them), no value carries them.
 */
export interface MessageSchema<Req = unknown, Res = unknown> {
  readonly [bodies]?: { readonly request: Req; readonly response: Res };
  readonly name: string;
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
  readonly flexibleFrom: number;
  readonly request: readonly Field[];
  readonly response: readonly Field[];
}

function parseRange(spec: string): [number, number] {
  if (spec === 'none') return [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  if (spec.endsWith('+')) return [Number(spec.slice(0, -1)), Number.POSITIVE_INFINITY];
  const [lo, hi] = spec.split('-');
  return [Number(lo), Number(hi ?? lo)];
}

/** Declares a field present in `versions` ("3+", "0-12", "5"), nullable from `nullable` on. */
export function field(name: string, type: FieldType, versions: string, nullable = 'none'): Field {
  const [min, max] = parseRange(versions);
  return { name, type, min, max, nullableFrom: parseRange(nullable)[0] };
}

const inVersion = (f: Field, v: number) => v >= f.min && v <= f.max;

function readLength(r: Reader, flexible: boolean, wide: boolean): number {
  if (flexible) return r.uvarint() - 1;
  return wide ? r.int32() : r.int16();
}

function readScalar(r: Reader, type: Scalar, flexible: boolean): unknown {
  switch (type) {
    case 'int8':
      return r.int8();
    case 'int16':
      return r.int16();
    case 'int32':
      return r.int32();
    case 'int64':
      return r.int64();
    case 'float64':
      return r.float64();
    case 'bool':
      return r.bool();
    case 'uuid':
      return r.uuid();
    case 'string': {
      const n = readLength(r, flexible, false);
      return n < 0 ? null : r.bytes(n).toString('utf8');
    }
    case 'bytes':
    case 'records': {
      const n = readLength(r, flexible, true);
      return n < 0 ? null : Buffer.from(r.bytes(n));
    }
  }
}

function readField(r: Reader, f: Field, version: number, flexible: boolean): unknown {
  if (typeof f.type === 'string' && !f.type.endsWith('[]')) return readScalar(r, f.type as Scalar, flexible);
  const count = readLength(r, flexible, true);
  if (count < 0) return null;
  if (count > r.remaining)
    throw new ProtocolError(`array ${f.name} claims ${count} items, more than the bytes left`);
  const items: unknown[] = [];
  for (let i = 0; i < count; i++) {
    items.push(
      typeof f.type === 'string'
        ? readScalar(r, f.type.slice(0, -2) as Scalar, flexible)
        : decodeStruct(r, f.type, version, flexible),
    );
  }
  return items;
}

/** Decodes one struct of `fields` at `version`; fields absent in that version are left undefined. */
export function decodeStruct(
  r: Reader,
  fields: readonly Field[],
  version: number,
  flexible: boolean,
): Struct {
  const out: Struct = {};
  for (const f of fields) {
    if (inVersion(f, version)) out[f.name] = readField(r, f, version, flexible);
  }
  if (flexible) r.skipTaggedFields();
  return out;
}

function writeLength(w: Writer, n: number, flexible: boolean, wide: boolean): void {
  if (flexible) w.uvarint(n + 1);
  else if (wide) w.int32(n);
  else w.int16(n);
}

function defaultOf(type: Scalar): unknown {
  switch (type) {
    case 'int64':
      return 0n;
    case 'bool':
      return false;
    case 'string':
      return '';
    case 'uuid':
      return '0'.repeat(32);
    case 'bytes':
    case 'records':
      return Buffer.alloc(0);
    default:
      return 0;
  }
}

function writeScalar(w: Writer, type: Scalar, value: unknown, flexible: boolean, nullable: boolean): void {
  const v = value === undefined ? (nullable ? null : defaultOf(type)) : value;
  switch (type) {
    case 'int8':
      w.int8(v as number);
      return;
    case 'int16':
      w.int16(v as number);
      return;
    case 'int32':
      w.int32(v as number);
      return;
    case 'int64':
      w.int64(BigInt(v as bigint | number));
      return;
    case 'float64':
      w.float64(v as number);
      return;
    case 'bool':
      w.bool(v as boolean);
      return;
    case 'uuid':
      w.uuid(v as string);
      return;
    case 'string': {
      if (v === null) {
        writeLength(w, -1, flexible, false);
        return;
      }
      const b = Buffer.from(v as string, 'utf8');
      writeLength(w, b.length, flexible, false);
      w.bytes(b);
      return;
    }
    case 'bytes':
    case 'records': {
      if (v === null) {
        writeLength(w, -1, flexible, true);
        return;
      }
      const b = v as Uint8Array;
      writeLength(w, b.length, flexible, true);
      w.bytes(b);
      return;
    }
  }
}

function writeField(w: Writer, f: Field, value: unknown, version: number, flexible: boolean): void {
  const nullable = version >= f.nullableFrom;
  if (typeof f.type === 'string' && !f.type.endsWith('[]')) {
    writeScalar(w, f.type as Scalar, value, flexible, nullable);
    return;
  }
  const items = value === undefined ? (nullable ? null : []) : (value as unknown[] | null);
  if (items === null) {
    writeLength(w, -1, flexible, true);
    return;
  }
  writeLength(w, items.length, flexible, true);
  for (const item of items) {
    if (typeof f.type === 'string') writeScalar(w, f.type.slice(0, -2) as Scalar, item, flexible, false);
    else encodeStruct(w, f.type, item as Struct, version, flexible);
  }
}

/** Encodes `value` as a struct of `fields` at `version`; missing values get the type's default. */
export function encodeStruct(
  w: Writer,
  fields: readonly Field[],
  value: object,
  version: number,
  flexible: boolean,
): void {
  for (const f of fields) {
    if (inVersion(f, version)) writeField(w, f, (value as Struct)[f.name], version, flexible);
  }
  if (flexible) w.uvarint(0);
}

/** Whether `version` of `schema` uses the flexible encoding (compact lengths, tagged fields). */
export const isFlexible = (schema: MessageSchema, version: number): boolean => version >= schema.flexibleFrom;

/** Encodes a request body of `schema` at `version` (the body only, not the request header). */
export function encodeRequest<Req>(
  w: Writer,
  schema: MessageSchema<Req, unknown>,
  body: Req,
  version: number,
): void {
  encodeStruct(w, schema.request, body as object, version, isFlexible(schema, version));
}

/** Decodes a request body of `schema` at `version` (the reader past the request header). */
export function decodeRequest<Req>(r: Reader, schema: MessageSchema<Req, unknown>, version: number): Req {
  return decodeStruct(r, schema.request, version, isFlexible(schema, version)) as Req;
}

/** Encodes a response body of `schema` at `version` (the body only, not the response header). */
export function encodeResponse<Res>(
  w: Writer,
  schema: MessageSchema<unknown, Res>,
  body: Res,
  version: number,
): void {
  encodeStruct(w, schema.response, body as object, version, isFlexible(schema, version));
}

/** Decodes a response body of `schema` at `version` (the reader past the response header). */
export function decodeResponse<Res>(r: Reader, schema: MessageSchema<unknown, Res>, version: number): Res {
  return decodeStruct(r, schema.response, version, isFlexible(schema, version)) as Res;
}

/** The request body type of a schema. */
export type RequestOf<S> = S extends MessageSchema<infer Req, unknown> ? Req : never;
/** The response body type of a schema. */
export type ResponseOf<S> = S extends MessageSchema<unknown, infer Res> ? Res : never;
