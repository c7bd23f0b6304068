/** InitProducerId (key 22): ids for idempotent producers; transactional ids are refused. */
import { ErrorCode, type messages as M } from '../../../libs/kafka/protocol';
import type { BrokerContext } from './context';

export function handleInitProducerId(
  ctx: BrokerContext,
  request: M.InitProducerIdRequest,
): M.InitProducerIdResponse {
  if (request.transactionalId !== null) {
    ctx.log(
      `rejected: InitProducerId for transactional id "${request.transactionalId}" (transactions are not supported)`,
    );
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
      producerId: -1n,
      producerEpoch: -1,
    };
  }
  // A producer re-initialising (v3+) keeps its id with the next epoch, as after a fatal send error.
  if (request.producerId !== undefined && request.producerId >= 0n) {
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      producerId: request.producerId,
      producerEpoch: (request.producerEpoch ?? -1) + 1,
    };
  }
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: ctx.nextProducerId(), producerEpoch: 0 };
}
