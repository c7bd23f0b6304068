/**
 * SaslHandshake (key 17) and SaslAuthenticate (key 36) for SASL/OAUTHBEARER (RFC 7628), enough for
 * a client configured for MSK IAM to authenticate locally. The broker only checks the token with
 * the configured function; it does not verify AWS signatures.
 */
import { ErrorCode, type messages as M } from '../../../libs/kafka/protocol';
import type { BrokerContext, Session } from './context';

const MECHANISM = 'OAUTHBEARER';

export function handleSaslHandshake(
  ctx: BrokerContext,
  { mechanism }: M.SaslHandshakeRequest,
  _version: number,
  session: Session,
): M.SaslHandshakeResponse {
  const offered = ctx.oauthBearer ? [MECHANISM] : [];
  if (!offered.includes(mechanism)) {
    ctx.log(`rejected: SASL mechanism ${mechanism} (offered: ${offered.join(', ') || 'none'})`);
    return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms: offered };
  }
  session.mechanism = mechanism;
  return { errorCode: ErrorCode.NONE, mechanisms: offered };
}

/** The token of an RFC 7628 client first message: `n,,\x01auth=Bearer <token>\x01[key=value\x01]*\x01`. */
function bearerToken(authBytes: Buffer): string | undefined {
  const fields = authBytes.toString('utf8').split('\x01');
  const auth = fields.find((f) => f.startsWith('auth='));
  const match = auth?.match(/^auth=Bearer (\S+)$/);
  return match?.[1];
}

export function handleSaslAuthenticate(
  ctx: BrokerContext,
  { authBytes }: M.SaslAuthenticateRequest,
  _version: number,
  session: Session,
): M.SaslAuthenticateResponse | Promise<M.SaslAuthenticateResponse> {
  const fail = (errorCode: number, errorMessage: string): M.SaslAuthenticateResponse => {
    ctx.log(`rejected: ${errorMessage}`);
    return { errorCode, errorMessage, authBytes: Buffer.alloc(0), sessionLifetimeMs: 0n };
  };
  if (session.mechanism !== MECHANISM || !ctx.oauthBearer) {
    return fail(ErrorCode.ILLEGAL_SASL_STATE, 'SaslAuthenticate before a successful SaslHandshake');
  }
  const token = bearerToken(authBytes);
  if (!token)
    return fail(ErrorCode.SASL_AUTHENTICATION_FAILED, 'SASL/OAUTHBEARER message has no bearer token');
  if (!ctx.oauthBearer(token))
    return fail(ErrorCode.SASL_AUTHENTICATION_FAILED, 'SASL/OAUTHBEARER token refused');
  if (ctx.authorizer) return authenticatePrincipal(ctx, token, session, fail);
  session.authenticated = true;
  return { errorCode: ErrorCode.NONE, errorMessage: null, authBytes: Buffer.alloc(0), sessionLifetimeMs: 0n };
}

// With IAM access control (MSK's), the token names a principal, who must be allowed to Connect.
async function authenticatePrincipal(
  ctx: BrokerContext,
  token: string,
  session: Session,
  fail: (errorCode: number, errorMessage: string) => M.SaslAuthenticateResponse,
): Promise<M.SaslAuthenticateResponse> {
  const principal = await ctx.authorizer?.authenticate(token);
  if (principal === undefined)
    return fail(ErrorCode.SASL_AUTHENTICATION_FAILED, 'SASL/OAUTHBEARER token refused');
  if (!(await ctx.authorizer?.authorize(principal, 'Connect', { kind: 'cluster' }))) {
    return fail(
      ErrorCode.SASL_AUTHENTICATION_FAILED,
      `Access denied: ${principal} may not connect to the cluster`,
    );
  }
  session.principal = principal;
  session.authenticated = true;
  return { errorCode: ErrorCode.NONE, errorMessage: null, authBytes: Buffer.alloc(0), sessionLifetimeMs: 0n };
}
