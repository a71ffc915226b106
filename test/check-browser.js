// Run by `npm test` before vitest: the browser tests need Debian's Chromium, never a downloaded browser.
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(path)) {
  console.error(
    `Chromium not found at ${path}: the browser tests need it.\n` +
      'Install it with:  sudo apt-get update && sudo apt-get install -y chromium fonts-noto-cjk\n' +
      '(or set CHROMIUM_PATH to a Chromium binary).',
  );
  process.exit(1);
}
