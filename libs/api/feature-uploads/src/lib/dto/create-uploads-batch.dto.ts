import { ApiProperty, inheritedFields, rule, unknownField } from '@dropgate/api/util-http';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, ValidateNested } from 'class-validator';
import {
  MAX_BATCH_FILES,
  type CreateUploadsBatchRequest,
  type ProblemFieldError,
} from '@dropgate/shared/api-contract';
import { CreateUploadDto } from './create-upload.dto';

const FILES = {
  required: rule('files.required', 'files is required: a list of the files to create'),
  invalid: rule('files.invalid', `files must be a list of 1 to ${MAX_BATCH_FILES} files`),
  tooMany: rule(
    'files.too_many',
    `files may hold at most ${MAX_BATCH_FILES} files; send the rest in another batch`,
  ),
};

/** `POST /api/uploads/batch`: up to 100 files, each checked as `POST /api/uploads` checks its body. */
export class CreateUploadsBatchDto implements CreateUploadsBatchRequest {
  @ApiProperty({ type: [CreateUploadDto], minItems: 1, maxItems: MAX_BATCH_FILES })
  @ValidateNested({ each: true })
  @Type(() => CreateUploadDto)
  @ArrayMaxSize(MAX_BATCH_FILES, FILES.tooMany)
  @ArrayMinSize(1, FILES.invalid)
  @IsArray(FILES.invalid)
  @IsDefined(FILES.required)
  files!: CreateUploadDto[];

  /**
   * The decorators' outcome by hand, every file's errors named by its index (`files.3.size`).
   * Unlike class-validator, it also refuses a file that is not an object, or that has a field
   * every object inherits (`constructor`), by name.
   */
  static check(body: Record<string, unknown>): CreateUploadsBatchDto | ProblemFieldError[] {
    const errors = Object.keys(body)
      .filter((name) => name !== 'files')
      .map(unknownField);
    const files = body['files'];
    if (files === undefined || files === null) return [...errors, fieldError('files', FILES.required)];
    if (!Array.isArray(files) || files.length === 0) return [...errors, fieldError('files', FILES.invalid)];
    if (files.length > MAX_BATCH_FILES) return [...errors, fieldError('files', FILES.tooMany)];
    const dto = new CreateUploadsBatchDto();
    dto.files = [];
    files.forEach((file: unknown, index) => {
      const field = `files.${index}`;
      if (typeof file !== 'object' || file === null || Array.isArray(file)) {
        errors.push({
          field,
          code: 'files.item_not_object',
          message: `${field} must be an object: a file as POST /api/uploads takes it`,
        });
        return;
      }
      const inherited = inheritedFields(file, `${field}.`);
      if (inherited.length > 0) {
        errors.push(...inherited);
        return;
      }
      const checked = CreateUploadDto.check(file as Record<string, unknown>);
      if (Array.isArray(checked))
        errors.push(...checked.map((e) => ({ ...e, field: `${field}.${e.field}` })));
      else dto.files.push(checked);
    });
    return errors.length > 0 ? errors : dto;
  }
}

const fieldError = (
  field: string,
  { code, message }: { code: ProblemFieldError['code']; message: string },
) => ({
  field,
  code,
  message,
});
