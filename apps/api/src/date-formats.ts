// Imported first by main.ts, so that it runs before any other module loads (see deferDateFormats).
import { deferDateFormats } from '@dropgate/api/util-config/date-formats';

export const restoreDateFormats = deferDateFormats();
