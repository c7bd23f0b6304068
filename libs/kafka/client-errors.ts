/**
 * Reading @platformatic/kafka errors: they nest (MultipleErrors of NetworkErrors caused by an
 * AuthenticationError, ...), and each node may say whether a retry can help (`canRetry`).
 */

interface ErrorNode {
  readonly message: string;
  readonly code?: string;
  readonly canRetry?: boolean;
}

function nodesOf(error: unknown, out: ErrorNode[] = [], depth = 0): ErrorNode[] {
  if (typeof error !== 'object' || error === null || depth > 8) return out;
  const e = error as ErrorNode & { errors?: unknown[]; cause?: unknown };
  out.push(e);
  for (const nested of e.errors ?? []) nodesOf(nested, out, depth + 1);
  if (e.cause !== undefined) nodesOf(e.cause, out, depth + 1);
  return out;
}

/**
 * Whether sending the same records again may succeed: a timeout, or a network or broker error the
 * client marks retriable, unless something in the chain is final (authentication, a bad request).
 */
export function isRetriableKafkaError(error: unknown): boolean {
  const nodes = nodesOf(error);
  const final = nodes.some((n) => n.canRetry === false && n.code !== 'PLT_KFK_TIMEOUT');
  const retriable = nodes.some((n) => n.canRetry === true || n.code === 'PLT_KFK_TIMEOUT');
  return retriable && !final;
}

/** One line naming every distinct failure in the chain, outermost first. */
export function describeKafkaError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const messages = [...new Set(nodesOf(error).map((n) => n.message))];
  return messages.join(' <- ');
}
