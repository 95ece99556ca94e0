import { parseScanReply, type ScanVerdict } from './scan-verdict';
import { ScannerUnavailableError, type ScannerFault } from './scanner-unavailable.error';

describe('parseScanReply', () => {
  it.each<[string, ScanVerdict]>([
    ['stream: OK', { kind: 'clean' }],
    [
      'stream: Dropgate.Test.EICAR.UNOFFICIAL FOUND',
      { kind: 'infected', signature: 'Dropgate.Test.EICAR.UNOFFICIAL' },
    ],
    ['stream: Win.Test.EICAR_HDB-1 FOUND', { kind: 'infected', signature: 'Win.Test.EICAR_HDB-1' }],
    // Heuristics other than ClamAV's "could not scan" alerts are detections like any other.
    [
      'stream: Heuristics.Phishing.Email.SpoofedDomain FOUND',
      { kind: 'infected', signature: 'Heuristics.Phishing.Email.SpoofedDomain' },
    ],
    [
      'stream: Heuristics.Encrypted.Zip FOUND',
      { kind: 'held', reason: 'encrypted', detail: 'Heuristics.Encrypted.Zip' },
    ],
    [
      'stream: Heuristics.Encrypted.PDF FOUND',
      { kind: 'held', reason: 'encrypted', detail: 'Heuristics.Encrypted.PDF' },
    ],
    [
      'stream: Heuristics.Limits.Exceeded.MaxFileSize FOUND',
      { kind: 'held', reason: 'limits_exceeded', detail: 'Heuristics.Limits.Exceeded.MaxFileSize' },
    ],
    [
      'stream: Heuristics.Limits.Exceeded.MaxRecursion FOUND',
      { kind: 'held', reason: 'limits_exceeded', detail: 'Heuristics.Limits.Exceeded.MaxRecursion' },
    ],
    [
      'INSTREAM size limit exceeded. ERROR',
      { kind: 'held', reason: 'too_large_to_scan', detail: 'INSTREAM size limit exceeded. ERROR' },
    ],
  ])('should read %j as a verdict', (reply, verdict) => {
    expect(parseScanReply(reply)).toEqual(verdict);
  });

  it.each<[string, ScannerFault]>([
    ['', 'empty_reply'],
    ['stream: ok', 'garbled_reply'],
    ['stream: OK ', 'garbled_reply'],
    ['stream: OK\nstream: OK', 'garbled_reply'],
    ['stream:  FOUND', 'garbled_reply'],
    ['stream: OKAY', 'garbled_reply'],
    ['PONG', 'garbled_reply'],
    ['UNKNOWN COMMAND', 'garbled_reply'],
    ['Error processing command. ERROR', 'scanner_error'],
    ['lstat() failed: No such file or directory. ERROR', 'scanner_error'],
  ])('should never read %j as a verdict (%s)', (reply, code) => {
    const read = () => parseScanReply(reply);
    expect(read).toThrow(ScannerUnavailableError);
    expect(read).toThrow(expect.objectContaining({ code }));
  });
});
