import type { Command } from 'commander';
import { writePolicyFiles } from '../../browser-policy/files.ts';
import { LNA_POLICY_NAMES, policyFiles, policyFileText } from '../../browser-policy/policies.ts';
import { loadCliConfig, withConfigOption } from '../config-option.ts';
import { note, printJson } from '../output.ts';

interface Options {
  config?: string;
  write?: boolean;
  root: string;
  json?: boolean;
}

/**
 * `ektp-bridge browser-policy`: the managed Chromium / Chrome / Edge policies that let exactly
 * security.allowedOrigins reach the daemon through Local Network Access (see
 * src/browser-policy/policies.ts for the names and why both). Prints them, or installs them with
 * --write. The package runs it at install; run it again after changing allowedOrigins.
 */
export function registerBrowserPolicy(program: Command): void {
  withConfigOption(
    program
      .command('browser-policy')
      .description(
        `print, or with --write install under --root, the managed browser policies (${LNA_POLICY_NAMES.join(', ')}) ` +
          'for Chromium, Google Chrome and Microsoft Edge that let exactly security.allowedOrigins reach the daemon; ' +
          're-run after changing allowedOrigins',
      ),
  )
    .option('--write', 'install the files (as root) instead of printing them')
    .option('--root <dir>', 'install under this folder instead of / (package staging, tests)', '/')
    .option('--json', 'print one JSON document: {origins, files: [{browser, path, policies}]}')
    .action((opts: Options) => {
      const config = loadCliConfig(opts);
      const origins = config.security.allowedOrigins;
      const files = policyFiles(origins);
      if (origins.length === 0) {
        note(
          'browser-policy: security.allowedOrigins is empty: no page from another origin may reach the daemon, ' +
            'and the policies list none',
        );
      }
      if (opts.write) {
        const written = writePolicyFiles(opts.root, files);
        if (opts.json) printJson({ origins, written });
        else for (const path of written) process.stdout.write(`wrote ${path}\n`);
        note(
          'browser-policy: Chromium-based browsers apply managed policies without a restart (check chrome://policy)',
        );
        return;
      }
      if (opts.json) {
        printJson({ origins, files: files.map((f) => ({ ...f, path: `/${f.path}` })) });
        return;
      }
      for (const f of files) process.stdout.write(`# ${f.browser}: /${f.path}\n${policyFileText(f)}\n`);
    });
}
