/** Why clamd gave no verdict. None of them says anything about the bytes: scan again later. */
export type ScannerFault =
  | 'connection_refused'
  | 'connection_reset'
  | 'connection_failed'
  | 'timeout'
  | 'empty_reply'
  | 'garbled_reply'
  | 'scanner_error';

/** clamd could not be reached or gave no verdict; the bytes are neither clean nor infected. */
export class ScannerUnavailableError extends Error {
  constructor(
    readonly code: ScannerFault,
    message: string,
  ) {
    super(message);
    this.name = 'ScannerUnavailableError';
  }
}
