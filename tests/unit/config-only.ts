import { loadConfig, type Env } from '../../shared/config.ts';
import type { Db } from '../../shared/db/client.ts';
import { provideServices } from '../../shared/services.ts';

/** For pure code that reads only the configuration (cursors): services without a table. */
export function provideConfigOnly(env: Env = {}): void {
  provideServices({ config: loadConfig(env), db: {} as Db });
}
