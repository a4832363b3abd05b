// Runs a server under a small shell that stops it when our end of its stdin closes, so a server
// never outlives the test process, even one killed by Ctrl-C or SIGKILL.
//
//   serverProcess({ ...stopWithStdin('nats-server', binary, args), name: 'nats-server', ... })

/** sh -c script: run "$@", stop it on SIGTERM/SIGINT or when stdin reaches EOF, exit with its status. */
const WATCH_STDIN = [
  'exec 3<&0',
  '"$@" </dev/null &',
  'pid=$!',
  `trap 'kill -TERM "$pid" 2>/dev/null; wait "$pid"; exit $?' TERM INT`,
  '(cat <&3 >/dev/null; kill -TERM "$pid" 2>/dev/null) &',
  'wait "$pid"',
].join('\n');

export function stopWithStdin(name: string, binary: string, args: readonly string[]): { command: string; args: string[] } {
  return { command: '/bin/sh', args: ['-c', WATCH_STDIN, name, binary, ...args] };
}
