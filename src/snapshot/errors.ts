/**
 * kubepath input errors
 * =====================
 *
 * Bad input is normal input: every problem with what the user gave us becomes an
 * InputError naming the file, the line where known, the object, and what is wrong.
 * Commands turn it into one line on stderr and exit code 2.
 */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly detail: string,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${detail}`);
    this.name = 'InputError';
  }
}

/** A problem with how the command was called (flags, selectors), also exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
