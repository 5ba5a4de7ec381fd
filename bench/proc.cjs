// What the bench's child processes read from /proc about themselves: the RSS of their own
// children (the API host) and when none is left. A measurement aid, not app code.
const fs = require('node:fs');

/** RSS of this process's children (the API host), from /proc; null where there is no /proc. */
function childrenRssMb() {
  if (!fs.existsSync('/proc/self/stat')) return null;
  let pages = 0;
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === process.pid) pages += Number(fields[21]);
    } catch {
      // The process ended while we looked.
    }
  }
  return (pages * 4096) / 1024 / 1024;
}

/** Waits (polling /proc: this is a measurement, not the app) until no child process is left. */
async function hostStopped() {
  for (let i = 0; i < 200 && (childrenRssMb() ?? 0) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  if ((childrenRssMb() ?? 0) > 0) throw new Error('the API host did not stop when idle');
}

module.exports = { childrenRssMb, hostStopped };
