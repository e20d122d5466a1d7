import type { FastifyRequest } from 'fastify';
import type { Config } from '../../core/config.js';
import type { Db } from '../../core/db/kysely.js';
import type { PlatformApp } from '../../core/db/schema.js';
import { currentPlatformApp } from '../../core/http/auth.js';

/** What every Platform API service receives first. */
export interface PlatformCtx {
  db: Db;
  config: Readonly<Config>;
  app: PlatformApp;
}

export function platformCtx(request: FastifyRequest, deps: { db: Db; config: Readonly<Config> }): PlatformCtx {
  return { db: deps.db, config: deps.config, app: currentPlatformApp(request) };
}
