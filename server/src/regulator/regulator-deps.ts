import type { Db } from '../db/open';
import type { LinkMessageBody, LinkMessageType } from '../protocol/regulator';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { RegulatorConfig } from './regulator-config';
import type { RegulatorKeys } from './regulator-keys';

/** What every regulator module is given (regulator-app.ts assembles it). */
export type RegulatorDeps = {
  /** dataDir: <regdata>, where the intake stores archives (tests give a temporary folder). */
  config: Pick<RegulatorConfig, 'dataDir' | 'missingArchiveDays' | 'tokenMinutes'>;
  db: Db;
  clock: Clock;
  logger: Logger;
  keys: RegulatorKeys;
  jwtSecret: Buffer;
};

export type LinkCentre = { id: number; code: string; name: string };

/** What a handler of one centre→regulator message type is given; it runs inside the transaction recording the seq. */
export type LinkHandlerContext<T extends LinkMessageType = LinkMessageType> = {
  db: Db;
  centre: LinkCentre;
  type: T;
  body: LinkMessageBody<T>;
  receivedAt: number;
  via: 'link' | 'bundle';
  seq: number;
};
export type LinkHandler<T extends LinkMessageType = LinkMessageType> = (ctx: LinkHandlerContext<T>) => void;

/**
 * Where modules plug in what a centre's message does. A handler that finds the content bad still returns (it
 * records the problem: the channel must not jam); a handler that throws is a bug: the message is not consumed.
 */
export interface LinkHandlers {
  on<T extends LinkMessageType>(type: T, handler: LinkHandler<T>): void;
}
