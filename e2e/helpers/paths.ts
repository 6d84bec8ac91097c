import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** screenshots and failure traces; ignored by git */
export const ARTIFACTS_DIR = join(REPO_ROOT, 'e2e-artifacts');
