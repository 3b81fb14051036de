import type { Command } from 'commander';

export function registerCall(program: Command): void {
  program.command('call').description('(not available yet)').allowUnknownOption().action(() => {
    process.stderr.write('rpcscope call: not available yet\n');
    process.exit(2);
  });
}
