// Where rpcscope keeps its state: $RPCSCOPE_HOME, else $XDG_CONFIG_HOME/rpcscope, else ~/.config/rpcscope.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function dataDir(): string {
  if (process.env.RPCSCOPE_HOME) return process.env.RPCSCOPE_HOME;
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'rpcscope');
}

export function dataPath(...parts: string[]): string {
  return join(dataDir(), ...parts);
}
