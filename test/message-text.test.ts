import { describe, expect, it } from 'vitest';
import { isMessageCommand } from '../src/script-kit.js';

describe('message commands', () => {
  it.each([
    'echo', 'printf', 'logger', 'log', 'vlog', 'ilog', 'wlog', 'elog', 'log_info', 'log_warning', 'info', 'warn', 'error',
    'die', 'fatal', 'fail', 'error_exit', 'print_error', 'check_rc_exit', 'check_rc_die', '/usr/bin/logger',
  ])('%s takes a message', (name) => {
    expect(isMessageCommand(name)).toBe(true);
  });
  it.each(['cp', 'wget', 'catalog', 'dialog', 'get_info', 'pkg_debug', 'log_and_run', 'run_or_fail', 'exec_logged_cmd'])('%s does not', (name) => {
    expect(isMessageCommand(name)).toBe(false);
  });
});
