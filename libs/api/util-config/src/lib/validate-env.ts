import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import { ConfigError } from './config-error';

type EnvClass<T> = new () => T;

/**
 * Reads the variables an env class declares from `env`, converts them with its
 * class-transformer decorators and validates them; the first invalid one throws a ConfigError.
 */
export function validateEnv<T extends object>(envClass: EnvClass<T>, env: NodeJS.ProcessEnv): T {
  const declared = declaredVariables(envClass);
  // Empty strings count as unset, so that `FOO= npm start` falls back to the default.
  const present = Object.fromEntries(
    declared.filter((name) => env[name] !== undefined && env[name] !== '').map((name) => [name, env[name]]),
  );
  const instance = plainToInstance(envClass, present, { exposeDefaultValues: true });
  const [first] = validateSync(instance, { whitelist: true });
  if (first) throw toConfigError(first, present);
  return instance;
}

/** Every property the class validates, including optional ones that have no initial value. */
function declaredVariables(envClass: EnvClass<object>): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(envClass, '', true, false);
  return [...new Set([...Object.keys(new envClass()), ...metadata.map((m) => m.propertyName)])];
}

function toConfigError(error: ValidationError, raw: Record<string, unknown>): ConfigError {
  const constraints = Object.entries(error.constraints ?? {});
  // A wrong kind of value ("must be an integer") explains more than a range it also misses.
  const [, reason = 'is invalid'] =
    constraints.find(([name]) => name.startsWith('is')) ?? constraints[0] ?? [];
  const given = raw[error.property];
  // The constraint messages start with the property's name; keep only the reason.
  const text = reason.startsWith(error.property) ? reason.slice(error.property.length).trim() : reason;
  return new ConfigError(error.property, given === undefined ? text : `${text} (got "${String(given)}")`);
}
