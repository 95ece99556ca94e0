// One configuration for the workspace; see the root file.
export { default } from '../../../eslint.config.mjs';
