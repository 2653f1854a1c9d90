// Preloaded into a child process by tests (node --import): writes the process's peak resident set
// size in kB (worker threads included) to $MAX_RSS_FILE when it exits.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.MAX_RSS_FILE)
    writeFileSync(process.env.MAX_RSS_FILE, String(process.resourceUsage().maxRSS));
});
