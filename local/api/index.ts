export { buildProxyEvent, type MatchedRequest } from './proxy-event';
export {
  type ApiRoute,
  type ApiServer,
  type ApiServerOptions,
  type ProxyHandler,
  startApiServer,
} from './server';
