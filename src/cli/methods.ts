import type { Command } from 'commander';

export function registerMethods(program: Command): void {
  program.command('methods').description('(not available yet)').allowUnknownOption().action(() => {
    process.stderr.write('rpcscope methods: not available yet\n');
    process.exit(2);
  });
}
