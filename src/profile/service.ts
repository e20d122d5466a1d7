import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/kysely.js';
import { currentUser } from '../http/auth.js';
import type { UserView } from '../serializers/user.js';
import { loadUserView } from '../users/queries.js';

export async function getProfile(db: Db, request: FastifyRequest): Promise<UserView> {
  return loadUserView(db, currentUser(request));
}
