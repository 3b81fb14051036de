import type { Command } from 'commander';

export function registerRepl(program: Command): void {
  program.command('repl').description('(not available yet)').allowUnknownOption().action(() => {
    process.stderr.write('rpcscope repl: not available yet\n');
    process.exit(2);
  });
}
