import { loadConfig, ConfigError } from './config';
import { ensureClientBuilt } from './client-build';
import { printBanner, startServer } from './main';
import { papersCommand } from './papers/papers.cli';
import { bankCommand } from './bank/bank.cli';
import { archiveCommand } from './audit/archive.cli';
import { integrityCommand } from './integrity/integrity.cli';
import { officialsCommand } from './conduct/officials.cli';
import { regulatorServerCommand } from './regulator/regulator.cli';
import { regulatorSyncCommand } from './regulator/sync.cli';
import { runDemoRegulator } from './regulator/demo-regulator';

const USAGE = `exam-center — computer-based exam delivery for special-equipment personnel exams

Usage: exam-center <command> [options]

Commands:
  serve            start the exam-centre server (what "npm start" runs)
  build-client     build the browser client
  papers verify SESSION|--all [--pubkey KEY]   check sealed papers (signature, ciphertexts, re-derivation)
  bank import|validate|export|versions   question bank (题库); "bank --help" for details
  archive verify FILE [--pubkey KEY] [--regulator-key PATH]   verify a signed session archive (档案)
  archive pin-key KEY      pin the institution's public key for archive/papers verify
  integrity check SESSION|--all [--json]   check 回避, 考培分离, bans, qualification, staffing
  regulator serve|init|centres|bans|officials|search   the regulator's server ("regulator help"; own data folder)
  regulator keygen|grant   the regulator's side of officials' accounts (run at the regulator)
  regulator-sync export|import FILE [--centre CODE]   the regulator link as a signed bundle file (USB stick)
  officials apply GRANT    install a regulator-signed official grant
  help             show this help

Configuration (environment): PORT (8080), HOST (0.0.0.0), EXAM_CENTER_DATA (./data),
EXAM_CENTER_DEMO (1: demo data on a new data folder; 0: a real installation).`;

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, Command> = {
  async serve() {
    const config = loadConfig();
    await ensureClientBuilt((m) => process.stdout.write(m + '\n'));
    const started = await startServer(config);
    printBanner(started, config);
    // The demo's regulator runs as its own process beside the centre (issue 14); EXAM_CENTER_DEMO=0: centre alone.
    const stopRegulator = config.demo
      ? await runDemoRegulator({
          dataDir: config.dataDir,
          port: started.port,
          institutionPublicKeyPem: started.app.keys.institution.publicKeyPem,
          db: started.db,
          sendNow: () => started.app.services.linkExchanger.kick(),
        })
      : null;
    const stop = () => {
      stopRegulator?.();
      void started.app.close().finally(() => {
        started.db.close();
        process.exit(0);
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return new Promise<number>(() => undefined); // runs until stopped
  },
  async 'build-client'() {
    await ensureClientBuilt((m) => process.stdout.write(m + '\n'));
    return 0;
  },
  async help() {
    process.stdout.write(USAGE + '\n');
    return 0;
  },
};

/** Later capabilities add their commands (bank, papers, integrity, archive) here. */
export function registerCommand(name: string, run: Command): void {
  commands[name] = run;
}

registerCommand('papers', papersCommand);
registerCommand('bank', bankCommand);
registerCommand('archive', archiveCommand);
registerCommand('integrity', integrityCommand);
registerCommand('regulator', regulatorServerCommand);
registerCommand('regulator-sync', regulatorSyncCommand);
registerCommand('officials', officialsCommand);

export async function runCli(argv: string[]): Promise<number> {
  const [name = 'help', ...args] = argv;
  const command = commands[name];
  if (!command) {
    process.stderr.write(`unknown command: ${name}\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await command(args);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.message + '\n');
      return 2;
    }
    throw err;
  }
}
