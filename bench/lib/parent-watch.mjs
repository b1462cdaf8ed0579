// Preloaded into every server the benchmark spawns: when the benchmark dies, even by SIGKILL,
// its end of this pipe closes and the server shuts itself down instead of lingering.
process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.on('error', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.resume();
