/**
 * Runs a command in a network namespace that has only loopback (`unshare --net`, then `ip link set
 * lo up`), so that anything in it that tries to leave the machine fails at once (ENETUNREACH, or a
 * resolver with no server) instead of leaving: the real control plane's API server once resolved
 * KWOK node names through the host's resolver for `kubectl logs`. `npm run real` and `npm run
 * fidelity` run through it.
 *
 *   tsx scripts/loopback-only.ts <command> [args…]
 *
 * Inside, PLAYGROUND_LOOPBACK_NETNS=1 tells the tests (tools/real-cluster/loopback.int.test.ts checks
 * the interfaces). Where no namespace can be made (not Linux, no unshare/ip, no privilege) the
 * command runs as it is, with a warning; PLAYGROUND_REQUIRE_LOOPBACK_NETNS=1 (set by .ci/run wherever the
 * machine can make one) makes that an error instead.
 */
import { spawnSync } from "node:child_process";

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error("usage: tsx scripts/loopback-only.ts <command> [args…]");
  process.exit(2);
}

/** `unshare` arguments that make a loopback-only namespace here, or undefined when none can be made. */
function namespaceArgs(): string[] | undefined {
  if (process.platform !== "linux") return undefined;
  // As root a plain network namespace; otherwise one inside a user namespace, where allowed.
  const args = process.getuid?.() === 0 ? ["--net"] : ["--net", "--map-root-user"];
  return spawnSync("unshare", [...args, "--", "ip", "link", "set", "lo", "up"], { stdio: "ignore" }).status === 0 ? args : undefined;
}

function run(argv: string[], env: NodeJS.ProcessEnv): never {
  const result = spawnSync(argv[0], argv.slice(1), { stdio: "inherit", env });
  if (result.error) {
    console.error(`loopback-only: ${result.error.message}`);
    process.exit(1);
  }
  process.exit(result.status ?? 1);
}

if (process.env.PLAYGROUND_LOOPBACK_NETNS === "1") run(command, process.env); // already inside

const args = namespaceArgs();
if (!args) {
  const why = "cannot make a loopback-only network namespace here (needs Linux, unshare and ip, and root or user namespaces)";
  if (process.env.PLAYGROUND_REQUIRE_LOOPBACK_NETNS === "1") {
    console.error(`loopback-only: ${why}; PLAYGROUND_REQUIRE_LOOPBACK_NETNS=1 forbids running without one`);
    process.exit(1);
  }
  console.warn(`\n*** loopback-only: ${why}; running with the host's network ***\n`);
  run(command, process.env);
}

// `sh -c '…' loopback-only cmd args…`: "$@" keeps every argument as given, no re-splitting.
run(["unshare", ...args, "--", "sh", "-c", 'ip link set lo up && exec "$@"', "loopback-only", ...command], {
  ...process.env,
  PLAYGROUND_LOOPBACK_NETNS: "1",
});
