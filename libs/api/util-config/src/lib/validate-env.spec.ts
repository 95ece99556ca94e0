import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { ConfigError } from './config-error';
import { ToNumber } from './env-transforms';
import { validateEnv } from './validate-env';

class ExampleEnv {
  @IsString()
  BUCKET!: string;

  @IsOptional()
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(10)
  LIMIT = 5;

  @IsOptional()
  @IsString()
  ENDPOINT?: string;
}

describe('validateEnv', () => {
  it('should convert values and keep defaults for unset or empty variables', () => {
    const sut = validateEnv(ExampleEnv, { BUCKET: 'b', LIMIT: '' });
    expect(sut).toEqual(Object.assign(new ExampleEnv(), { BUCKET: 'b', LIMIT: 5 }));
  });

  it('should read an optional variable that has no initial value', () => {
    expect(validateEnv(ExampleEnv, { BUCKET: 'b', ENDPOINT: 'http://s3' }).ENDPOINT).toBe('http://s3');
  });

  it('should convert a numeric string', () => {
    expect(validateEnv(ExampleEnv, { BUCKET: 'b', LIMIT: '7' }).LIMIT).toBe(7);
  });

  it.each([
    [{ LIMIT: '3' }, 'BUCKET', 'Invalid configuration: BUCKET must be a string'],
    [
      { BUCKET: 'b', LIMIT: 'many' },
      'LIMIT',
      'Invalid configuration: LIMIT must be an integer number (got "many")',
    ],
    [
      { BUCKET: 'b', LIMIT: '11' },
      'LIMIT',
      'Invalid configuration: LIMIT must not be greater than 10 (got "11")',
    ],
  ])('should reject %j naming %s', (env, variable, message) => {
    const act = () => validateEnv(ExampleEnv, env);
    expect(act).toThrow(ConfigError);
    expect(act).toThrow(message);
    try {
      act();
    } catch (error) {
      expect((error as ConfigError).variable).toBe(variable);
    }
  });
});
