import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { validateSync, type ValidatorOptions } from 'class-validator';
import type { ProblemCode, ProblemFieldError } from '@dropgate/shared/api-contract';
import { ProblemException } from './problem.exception';
import { inheritedFields, isHandChecked, unknownField } from './hand-checked';

/** Attach to a class-validator decorator so that its failure carries a stable code. */
export const code = (value: ProblemCode) => ({ context: { code: value } });

/**
 * The one global pipe: strips nothing silently (unknown fields are rejected), never coerces
 * types (`"5"` is not a number), and turns failures into problem details with codes. A body DTO
 * with a hand check (`HandChecked`) is checked by it instead of class-transformer and
 * class-validator, with the same outcome.
 */
export function createValidationPipe({ handChecks = true } = {}): ValidationPipe {
  return new ProblemValidationPipe(handChecks, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => ProblemException.validation(flatten(errors)),
  });
}

/** Refuses a body that is JSON but not an object (an array, a string, a number) by name. */
class ProblemValidationPipe extends ValidationPipe {
  constructor(
    /** Off only in tests, which hold each hand check equal to class-validator. */
    private readonly handChecks: boolean,
    options: ConstructorParameters<typeof ValidationPipe>[0],
  ) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isObjectBody = typeof value === 'object' && value !== null && !Array.isArray(value);
    if (metadata.type === 'body' && value !== undefined && value !== null && !isObjectBody) {
      const message = `The body must be a JSON object, not ${Array.isArray(value) ? 'an array' : `a ${typeof value}`}`;
      throw ProblemException.validation([{ field: '', code: 'body.not_object', message }]);
    }
    if (metadata.type === 'body' && isObjectBody) {
      // No DTO declares them: they are unknown fields like any other.
      const inherited = inheritedFields(value);
      if (inherited.length > 0) throw ProblemException.validation(inherited);
    }
    if (this.handChecks && metadata.type === 'body' && isObjectBody && isHandChecked(metadata.metatype)) {
      const checked = metadata.metatype.check(value as Record<string, unknown>);
      if (Array.isArray(checked)) throw ProblemException.validation(checked);
      return checked;
    }
    return super.transform(value, metadata);
  }

  // None of the DTOs has an async constraint, so skip the promise per constraint of validate().
  protected override validate(object: object, options?: ValidatorOptions): ValidationError[] {
    return validateSync(object, options);
  }
}

export function flatten(errors: ValidationError[], parent = ''): ProblemFieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([name, message]) => ({
      field,
      code: codeOf(error, name),
      message: name === 'whitelistValidation' ? unknownField(field).message : message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

function codeOf(error: ValidationError, constraint: string): ProblemCode {
  if (constraint === 'whitelistValidation') return 'field.unknown';
  if (constraint === 'unknownValue') return 'body.not_object';
  const context = error.contexts?.[constraint] as { code?: ProblemCode } | undefined;
  return context?.code ?? 'field.invalid';
}
