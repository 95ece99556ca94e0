/** A configuration value that stops the API from starting; the message names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

/** A file of the API's own build that is not where the build puts it; the message says how to fix it. */
export class IncompleteBuildError extends Error {
  constructor(readonly file: string) {
    super(`${file} is missing beside the API's main.js: build the API again (npx nx run api:build)`);
    this.name = 'IncompleteBuildError';
  }
}
