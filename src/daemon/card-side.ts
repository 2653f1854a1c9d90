import type { CardReaderStack } from '../../drivers/pcsc/types.ts';
import { openSamBlock } from '../../protocols/ektp/commands.ts';
import { probeSam } from '../../protocols/ektp/read-sequence.ts';
import { loadSamSecrets } from '../config/sam-secrets.ts';
import type { Config } from '../config/types.ts';
import { ReaderDirectory } from '../devices/reader-directory.ts';
import type { Logger } from '../log/index.ts';
import { CardService } from '../services/card/card-service.ts';
import { runSequence } from '../services/card/run-sequence.ts';
import { type OpenSamKey, SamSession } from '../services/card/sam-session.ts';

export interface CardSide {
  stack: CardReaderStack;
  directory: ReaderDirectory;
  sam: SamSession;
  cards: CardService;
}

/**
 * Wires the card half of the daemon on any reader stack (pcsclite or the in-process simulator):
 * reader roles, the SAM session and the card service. `secrets` overrides sam.secretsFile (the
 * simulator brings its test PCID/CONF).
 */
export function createCardSide(
  stack: CardReaderStack,
  config: Config,
  logger: Logger,
  secrets?: () => OpenSamKey | undefined,
): CardSide {
  const log = logger.child({ component: 'card' });
  const directory = new ReaderDirectory(stack, {
    rfPattern: config.readers.rf,
    samPattern: config.readers.sam,
    probeSam: async (name) => {
      const ch = await stack.connect(name);
      try {
        const probe = await runSequence(probeSam(), { sam: ch });
        return probe.present;
      } finally {
        // keep the SAM's connection to itself: the SAM session reconnects when it needs it
        await ch.close().catch(() => {});
      }
    },
  });
  directory.on('role-changed', (name, role) => log.info({ reader: name, role }, 'reader role'));
  const loadSecrets =
    secrets ??
    (() => {
      const file = config.sam.secretsFile;
      if (!file) return undefined;
      const s = loadSamSecrets(file);
      return { block: openSamBlock(s.pcid, s.conf) };
    });
  const sam = new SamSession({
    stack,
    directory,
    loadSecrets,
    socket: config.readers.samSocket,
    log: (level, msg, extra) => log[level](extra ?? {}, msg),
  });
  const cards = new CardService(stack, directory, sam);
  return { stack, directory, sam, cards };
}
