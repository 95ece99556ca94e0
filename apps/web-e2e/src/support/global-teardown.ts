import { stopAll } from './servers';

export default stopAll;
