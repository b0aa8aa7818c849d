/** A progress line on stderr: redrawn in place on a terminal, a line per 10% otherwise. */
export function progressReporter(label: string): (done: number, total: number) => void {
  const tty = process.stderr.isTTY;
  let lastDecile = -1;
  let started: number | undefined;
  return (done, total) => {
    started ??= Date.now();
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (tty) {
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      process.stderr.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}% (${done}/${total}, ${seconds}s)`,
      );
      if (done >= total) process.stderr.write('\n');
      return;
    }
    const decile = Math.floor(pct / 10);
    if (decile !== lastDecile) {
      lastDecile = decile;
      process.stderr.write(`${label}: ${pct}% (${done}/${total}, ${seconds}s)\n`);
    }
  };
}
