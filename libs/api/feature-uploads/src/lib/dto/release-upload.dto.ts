import { ApiProperty, code } from '@dropgate/api/util-http';
import { IsDefined, IsString, Length } from 'class-validator';
import type { ReleaseUploadRequest } from '@dropgate/shared/api-contract';

export class ReleaseUploadDto implements ReleaseUploadRequest {
  @ApiProperty({
    example: 'Checked offline: a 3 GB scanner export, clean',
    minLength: 1,
    maxLength: 500,
    description: 'Why the held file may be offered; kept on the record with who released it',
  })
  @Length(1, 500, { message: 'reason must have 1 to 500 characters', ...code('reason.invalid') })
  @IsString({ message: 'reason must be a string', ...code('reason.invalid') })
  @IsDefined({
    message: 'reason is required: say why the held file may be offered',
    ...code('reason.required'),
  })
  reason!: string;
}
