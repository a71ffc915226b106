import type { z } from 'zod';
import type { Ack } from '../protocol';
import { AppError } from '../shared/errors';
import type { Logger } from '../shared/logger';

/**
 * Wraps a socket handler: validates the payload with its schema, runs the service call and always answers
 * with an Ack. Raw exception text never reaches the client.
 */
export function handle<S extends z.ZodType, T>(
  logger: Logger,
  schema: S,
  run: (input: z.infer<S>) => T | Promise<T>,
): (payload: unknown, ack: unknown) => void {
  return (payload, ack) => {
    const reply = typeof ack === 'function' ? (ack as (a: Ack<T>) => void) : () => undefined;
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      const message = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ');
      reply({ ok: false, error: { code: 'invalid-input', message } });
      return;
    }
    Promise.resolve()
      .then(() => run(parsed.data))
      .then(
        (data) => reply({ ok: true, data }),
        (err: unknown) => {
          if (err instanceof AppError) reply({ ok: false, error: { code: err.code, message: err.message } });
          else {
            logger.error({ err }, 'socket handler failed');
            reply({
              ok: false,
              error: { code: 'save-failed', message: '服务器暂时无法保存，答案已保留在本机，将自动重试' },
            });
          }
        },
      );
  };
}

/** An event nobody handles gets a clear refusal instead of silence (a hostile or outdated client). */
export function refuseUnknownEvents(socket: {
  onAny(listener: (event: string, ...args: unknown[]) => void): unknown;
  listeners(event: string): unknown[];
}): void {
  socket.onAny((event, ...args) => {
    if (socket.listeners(event).length > 0) return;
    const ack = args.at(-1);
    if (typeof ack === 'function')
      (ack as (a: Ack<never>) => void)({
        ok: false,
        error: { code: 'unknown-event', message: `unknown event: ${String(event).slice(0, 50)}` },
      });
  });
}
