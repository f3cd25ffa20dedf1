/**
 * The folders that hold the given project-relative files ('/'-separated), deepest first, never the root
 * itself: after removing files, these are the folders that may have become empty. Pure and import-free, so the
 * extension can use it without bundling the generators.
 */
export function parentFoldersDeepestFirst(files: readonly string[]): string[] {
  const folders = new Set<string>();
  for (const file of files) {
    for (let folder = parentOf(file); folder !== ''; folder = parentOf(folder)) folders.add(folder);
  }
  return [...folders].sort((a, b) => b.split('/').length - a.split('/').length || a.localeCompare(b));
}

function parentOf(relative: string): string {
  const slash = relative.lastIndexOf('/');
  return slash < 0 ? '' : relative.slice(0, slash);
}
