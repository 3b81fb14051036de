import type { Command } from 'commander';

export function registerRun(program: Command): void {
  program.command('run').description('(not available yet)').allowUnknownOption().action(() => {
    process.stderr.write('rpcscope run: not available yet\n');
    process.exit(2);
  });
}
