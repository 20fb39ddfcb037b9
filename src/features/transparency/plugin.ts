import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';

export const transparencyPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (_app, { deps: _deps }) => {};
