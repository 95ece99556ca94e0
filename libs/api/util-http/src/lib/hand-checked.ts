import type { ProblemCode, ProblemFieldError } from '@dropgate/shared/api-contract';

/** A failed rule's code and message, as the class-validator decorator and the hand check report it. */
export interface Rule {
  code: ProblemCode;
  message: string;
  /** Where class-validator's decorators carry the code (see `code()`). */
  context: { code: ProblemCode };
}

/** The error for a field no DTO declares, the same from the hand check and class-validator. */
export const unknownField = (field: string): ProblemFieldError => ({
  field,
  code: 'field.unknown',
  message: `${field} is not a known field`,
});

/**
 * Names every object inherits (`constructor`, `__proto__`, `toString`, `valueOf`…). class-transformer
 * and class-validator skip a body's own fields of these names, so they would pass unseen.
 */
const INHERITED = Object.getOwnPropertyNames(Object.prototype);

/** A body's own fields named as inherited ones, as unknown-field errors (`at` prefixes each name). */
export function inheritedFields(body: object, at = ''): ProblemFieldError[] {
  return INHERITED.filter((name) => Object.hasOwn(body, name)).map((name) => unknownField(`${at}${name}`));
}

export const rule = (code: ProblemCode, message: string): Rule => ({ code, message, context: { code } });

/** One field's checks, in the order class-validator runs its decorators (bottom up). */
export type FieldChecks = ReadonlyArray<readonly [test: (value: unknown) => boolean, rule: Rule]>;

/**
 * A DTO that checks a JSON object itself, with the outcome of the class-validator decorators it
 * also carries: the same errors, in the same order, or an instance holding exactly its fields.
 * The global pipe uses it on hot routes, where class-transformer and class-validator cost more
 * than the rest of the request; a table-driven test holds the two equal.
 */
export interface HandChecked<T extends object> {
  new (): T;
  check(body: Record<string, unknown>): T | ProblemFieldError[];
}

export function isHandChecked(metatype: unknown): metatype is HandChecked<object> {
  return (
    typeof metatype === 'function' && typeof (metatype as Partial<HandChecked<object>>).check === 'function'
  );
}

/**
 * Runs `fields` over `body` as the global ValidationPipe would: unknown fields first, in the body's
 * order, then each field's first failing check; without errors, a `Dto` holding the known fields.
 */
export function checkFields<T extends object>(
  Dto: new () => T,
  body: Record<string, unknown>,
  fields: Record<keyof T & string, FieldChecks>,
): T | ProblemFieldError[] {
  const errors: ProblemFieldError[] = [];
  for (const name of Object.keys(body)) {
    if (!Object.hasOwn(fields, name)) {
      errors.push(unknownField(name));
    }
  }
  const dto = new Dto() as Record<string, unknown>;
  for (const [name, checks] of Object.entries<FieldChecks>(fields)) {
    const value = body[name];
    const failed = checks.find(([test]) => !test(value));
    if (failed) errors.push({ field: name, code: failed[1].code, message: failed[1].message });
    dto[name] = value;
  }
  return errors.length > 0 ? errors : (dto as T);
}
