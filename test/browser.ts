// The browser tests' Chromium: one launcher, shared with bench:web (plain JavaScript, so it lives there).
export { CHROMIUM, launchChromium } from '../bench/chromium.mjs';
