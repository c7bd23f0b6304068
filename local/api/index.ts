export {
  type ApiRoute,
  type ApiServer,
  type ProxyHandler,
  startApiServer,
} from './server';
