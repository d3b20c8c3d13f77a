/**
 * The `root_group` tree of the summary: groups and checks in first-seen order, with k6's paths
 * (names joined with `::`, the root's path is empty) and ids (the MD5 hex of the path).
 */
import { createHash } from 'node:crypto';

export interface CheckNode {
  name: string;
  path: string;
  id: string;
  passes: number;
  fails: number;
}

export interface GroupNode {
  name: string;
  path: string;
  id: string;
  groups: Map<string, GroupNode>;
  checks: Map<string, CheckNode>;
}

export interface GroupTree {
  root: GroupNode;
  /** The group at `path` ('' is the root); created on first use, parents included. */
  group(path: string): GroupNode;
  check(groupPath: string, name: string): CheckNode;
  /** Every check in the order it was first seen, for the compact text summary. */
  checksInOrder(): CheckNode[];
}

export const GROUP_SEPARATOR = '::';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

function createGroupNode(name: string, path: string): GroupNode {
  return { name, path, id: md5(path), groups: new Map(), checks: new Map() };
}

export function createGroupTree(): GroupTree {
  const root = createGroupNode('', '');
  const byPath = new Map<string, GroupNode>([['', root]]);
  const order: CheckNode[] = [];
  const tree: GroupTree = {
    root,
    group(path) {
      const existing = byPath.get(path);
      if (existing) return existing;
      const cut = path.lastIndexOf(GROUP_SEPARATOR);
      const parent = tree.group(path.slice(0, cut));
      const name = path.slice(cut + GROUP_SEPARATOR.length);
      const node = createGroupNode(name, path);
      parent.groups.set(name, node);
      byPath.set(path, node);
      return node;
    },
    check(groupPath, name) {
      const group = tree.group(groupPath);
      let node = group.checks.get(name);
      if (!node) {
        const path = `${groupPath}${GROUP_SEPARATOR}${name}`;
        node = { name, path, id: md5(path), passes: 0, fails: 0 };
        group.checks.set(name, node);
        order.push(node);
      }
      return node;
    },
    checksInOrder: () => order,
  };
  return tree;
}
