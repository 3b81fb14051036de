import type { Command } from 'commander';

export function registerUi(program: Command): void {
  program.command('ui').description('(not available yet)').allowUnknownOption().action(() => {
    process.stderr.write('rpcscope ui: not available yet\n');
    process.exit(2);
  });
}
