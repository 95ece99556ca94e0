// The API's TypeScript resolves modules the node10 way, which ignores package.json "exports" and so
// cannot see kysely's `kysely/migration` entry point. This names the same file for the type
// checker; at run time Node and webpack resolve `kysely/migration` through "exports" as usual.
declare module 'kysely/migration' {
  export * from 'kysely/dist/migration/index.js';
}
