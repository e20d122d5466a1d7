// The baseline of `npm run bench:client`: a bare Fastify server whose one route stores a message
// with a single INSERT through a pg pool of the same size as Confab's (10), and answers it as JSON.
// Started as its own process by bench/client.mjs; prints its URL once it listens.
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
await pool.query(`create table if not exists bench_baseline_messages (
  id bigserial primary key, conversation_id bigint not null, content text, created_at timestamptz not null default now())`);

const app = Fastify({ logger: false });
app.post('/conversations/:id/messages', async (request) => {
  const { rows } = await pool.query(
    'insert into bench_baseline_messages (conversation_id, content) values ($1, $2) returning id, content, created_at',
    [Number(request.params.id), request.body?.content ?? null],
  );
  const row = rows[0];
  return {
    id: Number(row.id),
    content: row.content,
    message_type: 0,
    created_at: Math.floor(row.created_at.getTime() / 1000),
    conversation_id: Number(request.params.id),
  };
});
const address = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`baseline serving on ${address}`);
process.on('SIGTERM', async () => {
  await app.close();
  await pool.end();
  process.exit(0);
});
