/** Thrown by a job handler when retrying cannot help (e.g. a malformed payload): the job goes dead at once. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}
