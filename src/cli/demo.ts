// The bundled demo servers for a CLI command (`run --demo`, `repl` without a URL): named on stderr
// as they come up, and stopped when the command ends, also when a signal ends it.
import { startDemoServers, type DemoServer } from '../services/demo';

export async function withDemoServers<T>(body: (servers: DemoServer[]) => Promise<T>): Promise<T> {
  // a signal would end Node without its exit handlers; process.exit runs them, and services/demo.ts
  // stops every demo server still running, one still starting included
  const onSignal = (signal: NodeJS.Signals): never => process.exit(signal === 'SIGINT' ? 130 : 143);
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  const servers: DemoServer[] = [];
  try {
    servers.push(...(await startDemoServers({ onSkip: (why) => process.stderr.write(`demo: skipped ${why}\n`) })));
    for (const d of servers) process.stderr.write(`${d.name} at ${d.url}\n`);
    return await body(servers);
  } finally {
    for (const d of servers) d.stop();
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}
