// Which resources a Resources-tree filter shows, and which groups start expanded: one rule for
// every reader (the VS Code view, the CLI). A filter is words; a resource matches when each word
// is in its name, its ARM type, its type's display name or its resource group (case-insensitive).
import type { ReadonlyResource } from '../../state/labState';
import { resourceTypeOf } from '../../azure/resourceTypes';
import { parseResourceId } from '../../azure/resourceId';
import { LabError } from '../../base/errors';

/** Longer filter texts are refused: a filter is a few words, not a paste. */
export const MAX_FILTER_LENGTH = 200;
/** More words than this are refused (each is matched against every resource). */
export const MAX_FILTER_WORDS = 10;
/** A tree showing more resources than this starts with its resource groups collapsed. */
export const EXPAND_GROUPS_UP_TO = 20;

export interface ResourceFilter {
  /** As the person typed it, trimmed: what the view shows. */
  text: string;
  /** Lower-cased words, each of which must match. */
  words: readonly string[];
}

/** The filter for a text; undefined for an empty one (no filter). Throws a LabError for text no filter can be. */
export function parseResourceFilter(text: unknown): ResourceFilter | undefined {
  if (typeof text !== 'string') {
    throw new LabError('InvalidArgument', 'A resource filter is text: words to find in names, types and groups.');
  }
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  if (trimmed.length > MAX_FILTER_LENGTH) {
    throw new LabError('InvalidArgument', `A resource filter is at most ${MAX_FILTER_LENGTH} characters (this one has ${trimmed.length}).`);
  }
  const words = trimmed.toLowerCase().split(/\s+/);
  if (words.length > MAX_FILTER_WORDS) {
    throw new LabError('InvalidArgument', `A resource filter is at most ${MAX_FILTER_WORDS} words (this one has ${words.length}).`);
  }
  return { text: trimmed, words };
}

/** What a filter word is looked for in: the resource's own name (a child's last segment too), its types and its group. */
function haystack(resource: ReadonlyResource): string {
  const info = resourceTypeOf(resource.type, resource.kind);
  const group = parseResourceId(resource.id).resourceGroup ?? '';
  return [resource.name, resource.type, info?.displayName ?? '', info?.key ?? '', group].join('\n').toLowerCase();
}

export function resourceMatches(resource: ReadonlyResource, filter: ResourceFilter | undefined): boolean {
  if (!filter) return true;
  const text = haystack(resource);
  return filter.words.every(w => text.includes(w));
}

/**
 * The resources a filter shows: those that match, their parents (so a matching child is
 * reachable), and every child of a matching parent. Ids are lower-cased ARM ids.
 */
export function shownResourceIds(resources: Iterable<ReadonlyResource>, filter: ResourceFilter | undefined): Set<string> {
  const all = [...resources];
  const matched = new Set(all.filter(r => resourceMatches(r, filter)).map(r => r.id.toLowerCase()));
  const shown = new Set<string>();
  for (const r of all) {
    const id = r.id.toLowerCase();
    const ancestors = ancestorIds(id);
    if (matched.has(id) || ancestors.some(a => matched.has(a))) shown.add(id);
    if (matched.has(id)) for (const a of ancestors) shown.add(a);
  }
  return shown;
}

/** A child resource's parents, nearest first: a child's id is its parent's plus "/<type>/<name>" (a top-level id has 9 segments). */
function ancestorIds(id: string): string[] {
  const parts = id.split('/');
  const ancestors: string[] = [];
  for (let n = parts.length - 2; n >= 9; n -= 2) ancestors.push(parts.slice(0, n).join('/'));
  return ancestors;
}

/**
 * Whether a resource group starts expanded: when the whole tree shows few resources, or when
 * the group shows just one (a filter that found one thing shows it).
 */
export function groupStartsExpanded(shownInTree: number, shownInGroup: number): boolean {
  return shownInTree <= EXPAND_GROUPS_UP_TO || shownInGroup === 1;
}

/** The view's line about a filter: what it is and how much of the lab it shows. */
export function filterSummary(filter: ResourceFilter, shown: number, total: number): string {
  if (shown === 0) return `No resource matches "${filter.text}" (of ${total}). Clear the filter to see them all.`;
  return `Showing ${shown} of ${total} resources matching "${filter.text}".`;
}
