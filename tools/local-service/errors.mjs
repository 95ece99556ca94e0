/** Reasons a local service's tool stops with a one-line message and a non-zero exit code. */
export class LocalServiceError extends Error {
  constructor(message, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}
