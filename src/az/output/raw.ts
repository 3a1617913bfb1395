// Output a command prints as is, whatever --output says (a blob's content sent to stdout).
export class RawOutput {
  constructor(readonly text: string) {}
}
