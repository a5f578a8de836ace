// Who wrote which part of a document's text: runs of consecutive code points by one author,
// in text order, as the server sends them (welcome.room.docs[].authorship) and as they change
// with every edit. Pure functions, no DOM.

/** Runs from their wire form [{ author, length }], dropping empty ones. */
export function runsFromWire(list) {
  return (list ?? [])
      .map((run) => ({ author: String(run.author ?? ''), length: Number(run.length ?? 0) }))
      .filter((run) => run.length > 0);
}

function push(runs, author, length) {
  if (length <= 0) return;
  const last = runs[runs.length - 1];
  if (last && last.author === author) last.length += length;
  else runs.push({ author, length });
}

/**
 * The runs after `op` (a TextOperation on the text the runs describe) made by `author`:
 * retained text keeps its author, inserted text is the author's, deleted text goes.
 * Runs that do not cover the whole text (an older server) are padded as unknown.
 */
export function applyToRuns(runs, op, author) {
  const out = [];
  let index = 0;
  let used = 0;
  const take = (count, keep) => {
    while (count > 0) {
      if (index >= runs.length) {
        if (keep) push(out, '', count);
        return;
      }
      const run = runs[index];
      const n = Math.min(count, run.length - used);
      if (keep) push(out, run.author, n);
      used += n;
      count -= n;
      if (used === run.length) {
        index++;
        used = 0;
      }
    }
  };
  for (const c of op.components) {
    if (c.kind === 'retain') take(c.count, true);
    else if (c.kind === 'delete') take(c.count, false);
    else push(out, author, c.count);
  }
  return out;
}

/** Each author's share of the text: [{ author, length, percent }], largest first. */
export function shares(runs) {
  const total = runs.reduce((sum, run) => sum + run.length, 0);
  const by = new Map();
  for (const run of runs) by.set(run.author, (by.get(run.author) ?? 0) + run.length);
  return [...by.entries()]
      .map(([author, length]) => ({ author, length,
                                    percent: total ? Math.round((100 * length) / total) : 0 }))
      .sort((a, b) => b.length - a.length);
}

/** "Asha wrote 60%, Ben 40%" for shares, with nameOf(author) giving each author's name. */
export function sharesText(list, nameOf) {
  if (list.length === 0) return 'Nothing has been written yet.';
  if (list.length === 1) return `${nameOf(list[0].author)} wrote all of it.`;
  return list.map((s, i) => (i === 0 ? `${nameOf(s.author)} wrote ${s.percent}%`
                                      : `${nameOf(s.author)} ${s.percent}%`)).join(', ') + '.';
}
