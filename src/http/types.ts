import type {
  FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '../config.js';
import type { Db } from '../db/kysely.js';

/** The Fastify instance every routes.ts receives: TypeBox-typed schemas, our logger. */
export type App = FastifyInstance<
  RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider
>;

/** What buildApp is given; routes take what they need from it. */
export interface AppDeps {
  db: Db;
  config: Readonly<Config>;
  /** Reports on the data services for GET /api; false when the database does not answer. */
  checkDatabase(): Promise<boolean>;
}
