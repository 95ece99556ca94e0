export * from './lib/problem.exception';
export * from './lib/to-problem';
export * from './lib/problem-details.filter';
export * from './lib/validation';
export * from './lib/request-id';
export * from './lib/logging';
export * from './lib/problem-details.dto';
