// What the seeding benches share: a pg client for one piece of work, and `confab start` whose log
// is watched for the address it serves on.
import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';

/** Runs `work` with a client connected to `url`, and closes it. */
export async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Starts root's dist/cli.js with `env`; resolves once it logs where it serves, with the log's tail. */
export function startServer(root, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'dist/cli.js'), 'start'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let started = false;
    const onData = (c) => {
      // keep only a tail once serving: the info-level request log would otherwise pile up here
      out = (out + c).slice(-20_000);
      const match = !started && /Confab serving on (http:\/\/[^"\s]+)/.exec(out);
      if (match) {
        started = true;
        resolve({ child, url: match[1], output: () => out });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}
