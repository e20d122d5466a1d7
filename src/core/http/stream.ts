import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

/**
 * Sends what `source` yields as the response body (headers set beforehand), for every streamed
 * response: the contacts CSV export and attachment files.
 *
 * The first chunk is read before anything goes out, so a failure there (a query PostgreSQL
 * refuses, a file that cannot be read) is answered by the error handler like any other request's.
 * Once the headers are out the status cannot change any more: a later failure is logged and the
 * connection is cut before the body's end, so a client sees a broken transfer instead of a short
 * file that looks whole, and nothing is written after the first answer.
 */
export async function sendChunks(
  reply: FastifyReply,
  source: AsyncIterable<string | Buffer>,
  what: string,
): Promise<FastifyReply> {
  const chunks = source[Symbol.asyncIterator]();
  const first = await chunks.next();
  const log = reply.log;
  async function* body(): AsyncGenerator<string | Buffer> {
    try {
      if (first.done) return;
      yield first.value;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
    } catch (error) {
      log.error({ err: error }, `${what} failed after its headers were sent; the response was cut off`);
      reply.raw.destroy();
    } finally {
      // the client went away, or the source failed: release it (a file, a paging query)
      await chunks.return?.();
    }
  }
  return reply.send(Readable.from(body(), { objectMode: false }));
}
