// The scan thread, started by the API's ScanThread with the first scan: it streams staged objects
// from S3 into clamd, off the API's main thread. It logs nothing itself: what fails goes back to
// the API, which logs it.
import { runScanThread } from '@dropgate/api/data-access-clamav/thread';

runScanThread();
