/**
 * A progress bar on stderr, so `--json` on stdout stays clean. On a terminal it redraws one line;
 * elsewhere (CI logs, spawned tests) it prints a line per step instead of control characters.
 */
export function stderrProgress(label: string, stream: NodeJS.WriteStream = process.stderr) {
  const tty = stream.isTTY === true;
  const width = 24;
  return {
    update(done: number, total: number, step: string) {
      const share = total > 0 ? Math.min(1, done / total) : 1;
      const filled = Math.round(share * width);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      const line = `${label} ${bar} ${String(Math.round(share * 100)).padStart(3)} % ${step}`;
      if (tty) stream.write(`\r${line.slice(0, (stream.columns ?? 100) - 1).padEnd((stream.columns ?? 100) - 1)}`);
      else stream.write(`${line}\n`);
    },
    done() {
      if (tty) stream.write('\n');
    },
  };
}
