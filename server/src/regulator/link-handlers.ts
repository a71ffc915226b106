import type { LinkMessageType } from '../protocol/regulator';
import type { LinkHandler, LinkHandlerContext, LinkHandlers } from './regulator-deps';

/** One handler per centre→regulator message type; a second registration for a type is a wiring bug. */
export class LinkHandlerRegistry implements LinkHandlers {
  private readonly handlers = new Map<LinkMessageType, LinkHandler>();

  on<T extends LinkMessageType>(type: T, handler: LinkHandler<T>): void {
    if (this.handlers.has(type)) throw new Error(`a handler for ${type} is already registered`);
    this.handlers.set(type, handler as unknown as LinkHandler);
  }
  has(type: LinkMessageType): boolean {
    return this.handlers.has(type);
  }
  /** A type nobody handles is still consumed (numbered and stored): the channel must not jam. */
  run(ctx: LinkHandlerContext): void {
    const h = this.handlers.get(ctx.type);
    if (h) h(ctx);
  }
}
