import { startAll } from './servers';

export default startAll;
