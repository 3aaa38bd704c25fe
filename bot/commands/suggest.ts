/** Levenshtein distance with a single rolling row; command names are short, so this is cheap. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/**
 * The closest names to what was typed: compares against the same number of words as each candidate has, so
 * `usr serch ali` still finds `user search`. At most `limit`, nearest first, only plausibly close ones.
 */
export function closestNames(typedWords: string[], names: string[], limit = 3): string[] {
  const scored = names.map((name) => {
    const wordCount = name.split(' ').length;
    const typed = typedWords.slice(0, wordCount).join(' ').toLowerCase();
    const distance = editDistance(typed, name);
    return { name, distance, tolerance: Math.max(2, Math.floor(name.length / 3)) };
  });
  return (
    scored
      .filter((s) => s.distance <= s.tolerance)
      // Relative distance, so two typos in a long two-word name beat one typo in a short one-word name.
      .sort((a, b) => a.distance / a.name.length - b.distance / b.name.length || a.name.localeCompare(b.name))
      .slice(0, limit)
      .map((s) => s.name)
  );
}
