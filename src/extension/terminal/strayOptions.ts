// A course lesson writes one az command over several lines without trailing backslashes; pasted
// into the lab terminal, each following line starts with `--` and is not a command. Each such
// line says "command not found"; the hint why is printed once for the run of them, not per line.

const HINT =
  'It looks like the rest of the previous az command: the lesson writes one command over several lines without a trailing backslash. ' +
  'Put it on one line, or end each line but the last with \\.';

export class StrayOptionLines {
  private hinted = false;

  /** What to print for a line the terminal is about to run (its first word given), or undefined when it is a command. */
  report(word: string): { notFound: string; hint?: string } | undefined {
    if (!word.startsWith('--')) {
      this.hinted = false;
      return undefined;
    }
    const hint = this.hinted ? undefined : HINT;
    this.hinted = true;
    return { notFound: `${word}: command not found`, hint };
  }
}
