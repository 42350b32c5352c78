import type { CliCommand } from '../command';
import { healthCommand } from './health-command';
import { indexCommand } from './index-command';
import { removeCommand } from './remove-command';
import { searchCommand } from './search-command';
import { serveCommand } from './serve-command';

/** Every `gitbot` command, in the order `gitbot --help` lists them. */
export const commands: readonly CliCommand[] = [serveCommand, indexCommand, searchCommand, healthCommand, removeCommand];
