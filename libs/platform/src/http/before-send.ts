import { Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

/** Called with the answer's status and serialized body just before it goes out (Fastify's onSend). */
export type BeforeSend = (status: number, payload: unknown) => void | Promise<void>;

const CALLBACKS = Symbol('cbec.beforeSend');

interface WithCallbacks {
  [CALLBACKS]?: BeforeSend[];
}

/**
 * Asks to see this request's answer before it is sent, whatever it is: the handler's result or the problem
 * the exception filter made of a refusal. For work around a handler (remembering an idempotent answer,
 * recording a read), a guard asks here instead of wrapping the handler in a Nest interceptor. Nest runs a route with
 * any interceptor through an RxJS pipeline (defer, mergeAll, a disconnect watch, lastValueFrom), which
 * cost a submission ~8% of its event-loop time (ADR 0006); guards and this hook cost
 * nothing to a request that does not ask.
 */
export function onBeforeSend(request: object, callback: BeforeSend): void {
  const target = request as WithCallbacks;
  (target[CALLBACKS] ??= []).push(callback);
}

/**
 * Installs the one Fastify hook that runs the callbacks (configureApp does, before Nest adds its routes).
 * A callback that fails is logged and the answer still goes out: what it would have kept (an idempotent
 * answer, a read record) is secondary to an answer whose work is already done and stored.
 */
export function registerBeforeSend(fastify: FastifyInstance): void {
  const logger = new Logger('BeforeSend');
  fastify.addHook('onSend', async (request, reply, payload) => {
    const callbacks = (request as WithCallbacks)[CALLBACKS];
    if (!callbacks) return payload;
    (request as WithCallbacks)[CALLBACKS] = undefined;
    const report = (error: unknown) =>
      logger.error(`${request.method} ${request.url}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    for (const callback of callbacks) {
      try {
        // Awaited: what a callback keeps (an idempotent answer in a shared database) is kept before the answer leaves.
        await callback(reply.statusCode, payload);
      } catch (error) {
        report(error);
      }
    }
    return payload;
  });
}
