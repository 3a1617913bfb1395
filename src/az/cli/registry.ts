// The command table: every group and command the lab's az knows, and the real ones it does
// not simulate (so they are answered honestly instead of "misspelled").
import type { CommandSpec, GroupSpec, NotSimulated } from './spec';

export class CommandTable {
  readonly commands = new Map<string, CommandSpec>();
  readonly groups = new Map<string, GroupSpec>();
  readonly notSimulated = new Map<string, NotSimulated>();

  constructor(groups: readonly GroupSpec[], commands: readonly CommandSpec[], notSimulated: readonly NotSimulated[]) {
    this.groups.set('', { name: '', summary: '' });
    for (const g of groups) this.groups.set(g.name, g);
    for (const c of commands) {
      this.commands.set(c.name, c);
      const words = c.name.split(' ');
      for (let i = 1; i < words.length; i++) {
        const parent = words.slice(0, i).join(' ');
        if (!this.groups.has(parent)) throw new Error(`command ${c.name} has no group ${parent}`);
      }
    }
    for (const n of notSimulated) this.notSimulated.set(n.name, n);
  }

  /** The words that may follow `path` (sub-groups and commands). */
  childrenOf(path: string): { groups: GroupSpec[]; commands: CommandSpec[] } {
    const depth = path ? path.split(' ').length : 0;
    const under = (name: string) => name !== path && (path === '' || name.startsWith(`${path} `)) && name.split(' ').length === depth + 1;
    return {
      groups: [...this.groups.values()].filter(g => g.name && under(g.name)),
      commands: [...this.commands.values()].filter(c => under(c.name)),
    };
  }

  childWords(path: string): string[] {
    const { groups, commands } = this.childrenOf(path);
    return [...groups.map(g => g.name), ...commands.map(c => c.name)].map(n => n.split(' ').pop()!);
  }
}
