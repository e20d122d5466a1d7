// The automation editors, loaded on demand by the settings page (their own chunk).
export { MacrosScreen } from './macros-screen.js';
export { AutomationRulesScreen } from './rules-screen.js';
