import type { FunctionEnvironments, FunctionLogLevel } from './functions';

/** What the edge thread is started with. */
export interface EdgeThreadData {
  /** The environment the functions' configuration is read from (endpoints, pipeline id, API key). */
  readonly env: Readonly<Record<string, string>>;
  /** Each function's deployed environment (its Powertools service name and metrics namespace). */
  readonly environments: FunctionEnvironments;
  readonly apiPort: number;
  readonly chaos: number;
  readonly logLevel: FunctionLogLevel;
  /** Sign each function's calls with its local role credentials (IAM enforced by the stand-ins). */
  readonly iam: boolean;
}

/** Messages to the edge thread. */
export type ToEdge =
  | { readonly type: 'settle'; readonly id: number; readonly timeoutMs: number }
  | { readonly type: 'stop-accepting'; readonly id: number; readonly timeoutMs: number }
  | { readonly type: 'close' };

/** Messages from the edge thread. */
export type FromEdge =
  | { readonly type: 'ready'; readonly url: string }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'settled'; readonly id: number; readonly ok: boolean; readonly inFlight: number }
  | { readonly type: 'closed' };
