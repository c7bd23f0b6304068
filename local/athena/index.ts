export { readAthenaCatalog } from './catalog';

export { type LocalAthena, startLocalAthena } from './server';
