import { CredentialStore } from './credential-store';
import { HELP, parseCliOptions, USAGE } from './cli-options';
import { loadDirectoryFile } from './directory-file';
import { displayUrl, UrlDirectory } from './directory-url';
import { consoleLogger } from './logger';
import { startServer } from './server';

/** `npm start`: the whole system on one machine (page server + verto stand-in). */
async function main(): Promise<void> {
  let cli;
  try {
    cli = parseCliOptions(process.argv.slice(2), process.env);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Our own messages end with the usage already; parseArgs' (unknown flag) do not.
    console.error(message.includes(USAGE) ? message : `${message}\n${USAGE}`);
    process.exit(2);
  }
  if (cli.help) {
    console.log(HELP);
    return;
  }
  let store = new CredentialStore();
  let domain = cli.domain;
  if (cli.directory) {
    const loaded = loadDirectoryFile(cli.directory, store);
    store = loaded.store;
    domain ??= loaded.domains[0];
  }
  const { directoryUrl } = cli;
  const directory = directoryUrl && new UrlDirectory({ ...directoryUrl, domain: domain ?? 'localhost', logger: consoleLogger });
  const server = await startServer({
    host: cli.host,
    port: cli.port,
    domain,
    store,
    directory,
    directoryView: cli.directoryView,
    forceRegisterDomain: cli.forceRegisterDomain,
    limits: { rateLimit: cli.rateLimit, maxClientsPerChannel: cli.maxClientsPerChannel },
    ice: cli.ice,
  });
  if (directoryUrl) console.log(`verto-peer development server, a node: verto on ${server.vertoUrl}/<channel>, users from ${displayUrl(directoryUrl.url)}`);
  else console.log(`verto-peer development server: open ${server.url}/ in two tabs`);
  const stop = (signal: string): void => {
    console.log(`${signal}: dropping sockets and stopping`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
