import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerBodyTypeCheck } from './body-types.ts';

describe('body types', () => {
  it('takes JSON only on routes that declare acceptsJson', async () => {
    const app = Fastify();
    registerBodyTypeCheck(app);
    app.post('/formular', async () => ({ ok: true }));
    app.post('/api', { config: { acceptsJson: true } }, async (request) => ({ got: request.body }));
    await app.ready();
    const json = { 'content-type': 'application/json' };
    expect((await app.inject({ method: 'POST', url: '/formular', headers: json, payload: '{}' })).statusCode).toBe(415);
    const api = await app.inject({ method: 'POST', url: '/api', headers: json, payload: '{"a":1}' });
    expect(api.statusCode).toBe(200);
    expect(api.json()).toEqual({ got: { a: 1 } });
    // Declaring JSON does not open the door to every other type.
    expect((await app.inject({ method: 'POST', url: '/api', headers: { 'content-type': 'text/plain' }, payload: 'a' })).statusCode).toBe(
      415,
    );
    // Without a body type there is nothing to refuse.
    expect((await app.inject({ method: 'POST', url: '/formular' })).statusCode).toBe(200);
    await app.close();
  });
});
