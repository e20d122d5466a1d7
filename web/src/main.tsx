import { render } from 'preact';
import { restoreSession } from './auth/state.js';
import { followLink } from './lib/router.js';
import { App } from './shell/app.js';
import './styles.css';

document.addEventListener('click', followLink);
render(<App />, document.getElementById('app')!);
void restoreSession();
