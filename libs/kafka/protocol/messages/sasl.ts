/** SaslHandshake and SaslAuthenticate bodies (SASL/OAUTHBEARER). */
import { field as f, type MessageSchema } from '../schema';

/** SaslHandshake request. */
export interface SaslHandshakeRequest {
  readonly mechanism: string;
}

/** SaslHandshake response: the mechanisms the broker offers. */
export interface SaslHandshakeResponse {
  readonly errorCode: number;
  readonly mechanisms: readonly string[];
}

/** SaslHandshake (key 17): picks the SASL mechanism (OAUTHBEARER here). */
export const SaslHandshake: MessageSchema<SaslHandshakeRequest, SaslHandshakeResponse> = {
  name: 'SaslHandshake',
  apiKey: 17,
  // Listed from v0 because librdkafka requires it to enable SASL at all; after a v0 handshake the
  // client would send raw SASL bytes, which this broker does not read (it closes the connection).
  // Clients that see SaslAuthenticate listed use v1 and framed SaslAuthenticate requests.
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: Number.POSITIVE_INFINITY,
  request: [f('mechanism', 'string', '0+')],
  response: [f('errorCode', 'int16', '0+'), f('mechanisms', 'string[]', '0+')],
};

/** SaslAuthenticate request. */
export interface SaslAuthenticateRequest {
  readonly authBytes: Buffer;
}

/** SaslAuthenticate response. */
export interface SaslAuthenticateResponse {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly authBytes: Buffer;
  readonly sessionLifetimeMs?: bigint;
}

/** SaslAuthenticate (key 36): carries the SASL bytes; v1+ tells the session lifetime. */
export const SaslAuthenticate: MessageSchema<SaslAuthenticateRequest, SaslAuthenticateResponse> = {
  name: 'SaslAuthenticate',
  apiKey: 36,
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 2,
  request: [f('authBytes', 'bytes', '0+')],
  response: [
    f('errorCode', 'int16', '0+'),
    f('errorMessage', 'string', '0+', '0+'),
    f('authBytes', 'bytes', '0+'),
    f('sessionLifetimeMs', 'int64', '1+'),
  ],
};
