import { describe, expect, it } from "vitest";
import { execIn, kubiaWorld } from "../testing/shell";

describe("ln -s and symbolic links", () => {
  it("a link on the volume reads as its target and stays with the PV (the e2e identity spec's hostname-symlink)", async () => {
    const world = kubiaWorld();
    const made = await execIn(world.ctx, "kubia-0", "echo $(hostname) > /var/data/hostname; ln -s /var/data/hostname /var/data/hostname-symlink");
    expect(made).toEqual({ stdout: "", stderr: "", code: 0 });
    // A later process (a restarted pod mounts the same PV) follows the link.
    const read = await execIn(world.ctx, "kubia-0", 'if [ "$(cat /var/data/hostname-symlink)" = "$(hostname)" ]; then exit 0; else exit 1; fi');
    expect(read.code).toBe(0);
    expect(world.ctx.volumes.names().some((k) => k.startsWith("pvc-0/hostname-symlink"))).toBe(true);
  });

  it("writes through a link, lists it with ls -l, removes only the link with rm", async () => {
    const world = kubiaWorld();
    const r = await execIn(world.ctx, "kubia-0", "cd /var/data && ln -s note link && echo hi > link && cat note && ls -l link && rm link && cat note && ls");
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^hi\nlrwxrwxrwx 1 root root 4 \w{3} +\d+ \d\d:\d\d link -> note\nhi\n(kubia\.txt\n)?note\n$/);
  });

  it("reports what coreutils reports: existing names, -f replacing, a missing operand, hard links not simulated", async () => {
    const world = kubiaWorld();
    const r = await execIn(world.ctx, "kubia-0", "cd /tmp; ln -s a b; ln -s c b; ln -sf c b; ls -l b; ln -s; ln x y");
    expect(r.stdout).toMatch(/^lrwxrwxrwx 1 root root 1 .* b -> c\n$/);
    expect(r.stderr).toBe(
      "ln: failed to create symbolic link 'b': File exists\nln: missing file operand\nTry 'ln --help' for more information.\nln: hard links are in the real ln but not simulated by the playground; use ln -s\n",
    );
  });

  it("rm -r, mv and test -L act on the link, never on what it points to", async () => {
    const world = kubiaWorld();
    const r = await execIn(world.ctx, "kubia-0", "mkdir -p /var/data/keep && echo kept > /var/data/keep/f && cd /tmp && ln -s /var/data/keep dir && test -L dir && test -d dir && mv dir moved && ls moved && rm -r moved && cat /var/data/keep/f");
    expect(r).toEqual({ stdout: "f\nkept\n", stderr: "", code: 0 });
  });

  it("tar (kubectl cp) archives a link as a link, so a link to a parent cannot loop, and unpacks it as one", async () => {
    const world = kubiaWorld();
    const r = await execIn(world.ctx, "kubia-0", "mkdir -p /tmp/d && echo x > /tmp/d/f && ln -s .. /tmp/d/up && cd /tmp && tar cf - d | tar xf - -C /var/data && ls -l /var/data/d/up && cat /var/data/d/f");
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^lrwxrwxrwx 1 root root 2 .* \/var\/data\/d\/up -> \.\.\nx\n$/);
  });

  it("a loop of links is ELOOP, a dangling link is ENOENT to read", async () => {
    const world = kubiaWorld();
    const r = await execIn(world.ctx, "kubia-0", "cd /tmp; ln -s loop loop; cat loop; ln -s nowhere dangling; cat dangling");
    expect(r.stderr).toBe("cat: loop: Too many levels of symbolic links\ncat: dangling: No such file or directory\n");
  });
});

describe("ls -i -h", () => {
  it("ls -idlh /data: the directory itself, with an inode number and a human size, as the e2e CheckMount runs it", async () => {
    const world = kubiaWorld();
    const r = await execIn(world.ctx, "kubia-0", "echo x > /var/data/kubia.txt; ls -idlh /var/data; ls -i /var/data/kubia.txt /etc/hostname");
    expect(r.code).toBe(0);
    const [dir, first, second] = r.stdout.split("\n");
    expect(dir).toMatch(/^\d+ drwxrwxrwx 2 root root 4\.0K \w{3} +\d+ +[\d:]+ \/var\/data$/);
    const inodes = [first, second].map((l) => l.split(" ")[0]);
    expect(new Set(inodes).size).toBe(2);
    expect((await execIn(world.ctx, "kubia-0", "ls -i /etc/hostname")).stdout).toBe(`${first}\n`);
  });
});

describe("find", () => {
  it("lists the starting point and everything below it, with -name, -type and -maxdepth", async () => {
    const world = kubiaWorld();
    const r = await execIn(world.ctx, "kubia-0", "mkdir -p /tmp/t/sub && touch /tmp/t/a.txt /tmp/t/sub/b.txt && find /tmp/t && find /tmp/t -name '*.txt' -type f && find /tmp/t -maxdepth 1 -type d");
    expect(r.stdout.split("\n").slice(0, 4).sort()).toEqual(["/tmp/t", "/tmp/t/a.txt", "/tmp/t/sub", "/tmp/t/sub/b.txt"]);
    expect(r.stdout.split("\n").slice(4, 6).sort()).toEqual(["/tmp/t/a.txt", "/tmp/t/sub/b.txt"]);
    expect(r.stdout.split("\n").slice(6)).toEqual(["/tmp/t", "/tmp/t/sub", ""]);
  });

  it("reports a missing starting point and says what it does not simulate", async () => {
    const world = kubiaWorld();
    expect(await execIn(world.ctx, "kubia-0", "find /nope")).toEqual({ stdout: "", stderr: "find: '/nope': No such file or directory\n", code: 1 });
    expect((await execIn(world.ctx, "kubia-0", "find / -exec echo {} ;")).code).toBe(126);
  });
});
