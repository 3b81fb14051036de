// rpcscope methods URL: the remote methods, one a line; how they were found goes to stderr.
import type { Command } from 'commander';
import { methodHelpText, methodLine } from '../common/method-help';
import { CallHistory } from '../services/history';
import { withLearnedMethods } from '../services/learned-methods';
import { EXIT_OK } from './exit';
import { addConnectionOptions, openClient, runAction, type ConnectionFlags } from './common';

interface MethodsFlags extends ConnectionFlags {
  json?: boolean;
}

export async function runMethods(url: string, name: string | undefined, flags: MethodsFlags): Promise<number> {
  const client = openClient(url, flags);
  try {
    const list = withLearnedMethods(await client.methods(), new CallHistory().list(client.endpoint.display));
    if (name !== undefined) {
      // one method: its whole documentation, as help(NAME) prints it at the REPL
      const text = methodHelpText(list, name);
      const method = list.methods.find((m) => m.name === name);
      process.stdout.write(flags.json ? `${JSON.stringify({ ok: true, method })}\n` : `${text}\n`);
    } else if (flags.json) {
      process.stdout.write(`${JSON.stringify({ ok: true, ...list })}\n`);
    } else {
      for (const m of list.methods) process.stdout.write(`${methodLine(m)}\n`);
      if (list.note) process.stderr.write(`${list.note}\n`);
    }
    return EXIT_OK;
  } finally {
    await client.close();
  }
}

export function registerMethods(program: Command): void {
  addConnectionOptions(
    program
      .command('methods')
      .description("list the remote methods, one a line; with NAME, that method's signature and whole documentation")
      .argument('<url>', 'endpoint URL')
      .argument('[name]', 'one method to describe')
      .option('--json', 'print the list as JSON'),
  ).action((url: string, name: string | undefined, flags: MethodsFlags) => runAction(flags.json ?? false, () => runMethods(url, name, flags)));
}
