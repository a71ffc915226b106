/** A small structured logger (JSON lines on stderr); enough for one LAN server, no dependency. */
export type LogLevel = 'silent' | 'error' | 'info' | 'debug';

export interface Logger {
  error(obj: Record<string, unknown>, msg: string): void;
  info(obj: Record<string, unknown>, msg: string): void;
  debug(obj: Record<string, unknown>, msg: string): void;
}

const RANK: Record<LogLevel, number> = { silent: 0, error: 1, info: 2, debug: 3 };

export function createLogger(level: LogLevel): Logger {
  const write = (at: LogLevel, obj: Record<string, unknown>, msg: string) => {
    if (RANK[at] > RANK[level]) return;
    const err = obj.err instanceof Error ? { err: { message: obj.err.message, stack: obj.err.stack } } : {};
    process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: at, msg, ...obj, ...err }) + '\n');
  };
  return {
    error: (o, m) => write('error', o, m),
    info: (o, m) => write('info', o, m),
    debug: (o, m) => write('debug', o, m),
  };
}
