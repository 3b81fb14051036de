// The rpcscope command. Each subcommand lives in its own module and registers itself here.
import { Command } from 'commander';
import { registerCall } from './call';
import { registerMethods } from './methods';
import { registerRepl } from './repl';
import { registerRun } from './run';
import { registerUi } from './ui';
import { EXIT_USAGE } from './exit';

const program = new Command('rpcscope')
  .description('Connect to Python RPC servers, call their methods, and watch the bytes on the wire')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride((err) => {
    // commander's own usage errors (unknown option, missing argument) exit 2 like ours
    process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE);
  });

registerCall(program);
registerMethods(program);
registerRepl(program);
registerRun(program);
registerUi(program);

await program.parseAsync(process.argv);
