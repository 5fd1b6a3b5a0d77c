// Entry of the relay process: reads settings, starts the relay, stops it on SIGTERM/SIGINT.
import { DataDirLockedError } from './data-dir-lock';
import { createRelay, type Relay } from './server';
import { helpText, readSettings, SettingsError, type Settings } from './settings';

function start(): void {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(`${helpText()}\n`);
    return;
  }
  let settings: Settings;
  try {
    settings = readSettings(process.env);
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    process.stderr.write(`relay: ${err.message}\n`);
    process.exit(1);
  }
  let relay: Relay;
  try {
    relay = createRelay(settings);
  } catch (err) {
    if (!(err instanceof DataDirLockedError)) throw err;
    process.stderr.write(`relay: ${err.message}\n`);
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // A second signal means "now": exit without waiting for the graceful path.
      relay.logger.warn({ signal }, 'second signal; exiting at once');
      process.exit(1);
    }
    stopping = true;
    relay.logger.info({ signal }, 'signal received');
    relay.close().then(
      () => process.exit(0),
      (err: unknown) => {
        relay.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('uncaughtException', (err) => {
    relay.logger.fatal({ err }, 'uncaught exception');
    process.exit(1);
  });
  relay.listen().catch((err: unknown) => {
    relay.logger.fatal({ err }, 'could not start');
    process.exit(1);
  });
}

start();
