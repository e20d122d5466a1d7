// the settings screens' name for the shared loader (web/src/lib/use-loaded.ts)
export { useLoad } from '../lib/use-loaded.js';
